import { randomUUID } from 'node:crypto';
import type { Decider, DomainEvent } from '@axis/domain';
import { type EventStore, type Position, type RecordedEvent, type StreamAppend, WrongExpectedRevisionError } from '@axis/event-store';
import { countAppended, envelopedEvents } from './append-events';
import type { WriteContext } from './write-context';

export interface LoadedStream<State> {
  state: State;
  /** The stream's revision (-1: no stream). */
  revision: number;
  /** When its first / last event happened (null: no stream): a resource's `meta.created` / `lastModified`. */
  createdAt: string | null;
  lastModified: string | null;
}

export interface AppendedDecision<Event, State> {
  events: Event[];
  state: State;
  /** The stream's revision after the write (-1: still no stream). */
  revision: number;
  /** Where the last event landed; null when the decision produced no event. */
  position: Position | null;
  occurredAt: string;
  createdAt: string;
  lastModified: string;
}

export interface DecideOptions<Event, State> {
  /** The revision the caller saw (HTTP If-Match): another one is a StaleRevisionError, not a retry. */
  expectedRevision?: number;
  /** Runs after deciding and before appending (e.g. reserving unique values); may throw to refuse. */
  beforeAppend?: (events: Event[], next: State, previous: State) => Promise<void>;
  /**
   * Appends committed atomically with the decision's events, before them (e.g. claims on unique
   * values). A conflict on one of these streams is thrown to the caller, not retried.
   */
  alongside?: (events: Event[], next: State, previous: State) => StreamAppend[];
  /**
   * The stream cannot exist yet (its id was just generated): decide on the initial state without
   * reading it. Should it exist after all, the conflict reloads it as usual.
   */
  newStream?: boolean;
  maxAttempts?: number;
  /** How the stream's state is loaded (default: replayed whole); a loader with a cache reads only what is new. */
  loader?: StreamLoader;
}

/** Folds a stream's events into its state: the half of a decider that loading needs. */
export type StateFolder<Event, State> = Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>;

/** Where the write loop gets a stream's current state from, and tells what a write made of it. */
export interface StreamLoader {
  load<Event, State>(decider: StateFolder<Event, State>, streamName: string): Promise<LoadedStream<State>>;
  /** After an append: the stream's state at its new revision (a loader that keeps states keeps it). */
  remember?<Event, State>(decider: StateFolder<Event, State>, streamName: string, written: LoadedStream<State>): void;
}

/** The default loader: every load replays the stream from its first event. */
export function replayingLoader(eventStore: EventStore): StreamLoader {
  return { load: (decider, streamName) => loadStream(eventStore, decider, streamName) };
}

/** The stream moved past the revision the caller based its command on. */
export class StaleRevisionError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Stream is at revision ${actual}, not ${expected}`);
    this.name = 'StaleRevisionError';
  }
}

const DEFAULT_MAX_ATTEMPTS = 100;

/** A stream's current state, without deciding anything. */
export async function loadStream<Event, State>(
  eventStore: EventStore,
  decider: StateFolder<Event, State>,
  streamName: string,
): Promise<LoadedStream<State>> {
  const recorded = await eventStore.readStream(streamName);
  return {
    state: recorded.reduce((current, event) => decider.evolve(current, event as unknown as Event), decider.initialState()),
    revision: recorded.length - 1,
    createdAt: recorded.length > 0 ? occurredAtOf(recorded[0]!) : null,
    lastModified: recorded.length > 0 ? occurredAtOf(recorded[recorded.length - 1]!) : null,
  };
}

/**
 * The write side, one loop for every command: load the stream, decide, append with the expected
 * revision, and on a concurrent write decide again on fresh state (with a little jitter, so writers
 * racing on one hot stream spread out), so no update is lost. Rule violations thrown by the
 * decider propagate unchanged.
 */
export async function decideAndAppend<Command, Event extends DomainEvent, State>(
  eventStore: EventStore,
  decider: Decider<Command, Event, State>,
  streamName: string,
  command: Command,
  context: WriteContext,
  options: DecideOptions<Event, State> = {},
): Promise<AppendedDecision<Event, State>> {
  // One request id for every attempt and every stream of the write.
  const writeContext: WriteContext = context.requestId || context.cause ? context : { ...context, requestId: randomUUID() };
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const loader = options.loader ?? replayingLoader(eventStore);
  for (let attempt = 1; ; attempt++) {
    const current =
      options.newStream && attempt === 1
        ? { state: decider.initialState(), revision: -1, createdAt: null, lastModified: null }
        : await loader.load(decider, streamName);
    if (options.expectedRevision !== undefined && options.expectedRevision !== current.revision) {
      throw new StaleRevisionError(options.expectedRevision, current.revision);
    }
    const events = decider.decide(command, current.state);
    const occurredAt = new Date().toISOString();
    const createdAt = current.createdAt ?? occurredAt;
    if (events.length === 0) {
      return { events, state: current.state, revision: current.revision, position: null, occurredAt, createdAt, lastModified: current.lastModified ?? occurredAt };
    }
    const next = events.reduce(decider.evolve, current.state);
    await options.beforeAppend?.(events, next, current.state);
    const own: StreamAppend = {
      streamName,
      events: envelopedEvents(events, writeContext, { occurredAt }),
      expectedRevision: current.revision < 0 ? 'no_stream' : current.revision,
    };
    const alongside = options.alongside?.(events, next, current.state) ?? [];
    try {
      const result =
        alongside.length === 0
          ? await eventStore.appendToStream(own.streamName, own.events, { expectedRevision: own.expectedRevision! })
          : (await eventStore.appendToStreams([...alongside, own])).at(-1)!;
      countAppended(events);
      loader.remember?.(decider, streamName, { state: next, revision: result.nextExpectedRevision, createdAt, lastModified: occurredAt });
      return { events, state: next, revision: result.nextExpectedRevision, position: result.position, occurredAt, createdAt, lastModified: occurredAt };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || error.streamName !== streamName) throw error;
      if (options.expectedRevision !== undefined) throw new StaleRevisionError(options.expectedRevision, error.actual);
      if (attempt >= maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
    }
  }
}

function occurredAtOf(event: RecordedEvent): string {
  const value = event.metadata['occurredAt'];
  return typeof value === 'string' ? value : event.recordedAt.toISOString();
}
