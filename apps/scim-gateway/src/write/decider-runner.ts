import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventMetadata } from '@axis/domain';
import { EVENT_STORE, type EventStore, type Position, WrongExpectedRevisionError } from '@axis/event-store';
import { scimErrors } from '@axis/scim';
import { ReadYourWrites } from '../consistency/read-your-writes';
import type { CommandContext } from './command-context';

export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface DecisionResult<Event, State> {
  events: Event[];
  state: State;
  /** The stream's revision after the write (-1: no stream): the resource's ETag. */
  revision: number;
  position: Position | null;
  /** When the stream's first event happened: the resource's `meta.created`. */
  createdAt: string;
  /** When its last event happened: `meta.lastModified`. */
  lastModified: string;
}

export interface RunOptions<Event, State> {
  /** The `If-Match` revision: a stale one is a 412 rather than a retry. */
  ifMatchRevision?: number;
  /**
   * Runs after deciding and before appending, e.g. to reserve unique keys; may throw to refuse.
   * Called again on each retry.
   */
  beforeAppend?: (events: Event[], next: State, previous: State) => Promise<void>;
}

/** Generous: 50 IdP requests racing on one user must all land (each retry decides on fresh state). */
const MAX_ATTEMPTS = 100;

/**
 * The thin part of every command handler: load the stream, decide, append with the expected
 * revision. With an If-Match revision a conflict is a 412; without one the command is decided
 * again on fresh state, so concurrent writers never lose an update.
 */
@Injectable()
export class DeciderRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  /** The stream's current state without deciding anything. */
  async load<Event extends DomainEvent, State>(
    decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
    streamName: string,
  ): Promise<{ state: State; revision: number; createdAt: string | null; lastModified: string | null }> {
    const recorded = await this.eventStore.readStream(streamName);
    let state = decider.initialState();
    for (const event of recorded) state = decider.evolve(state, event as unknown as Event);
    return {
      state,
      revision: recorded.length - 1,
      createdAt: recorded.length > 0 ? occurredAt(recorded[0]!) : null,
      lastModified: recorded.length > 0 ? occurredAt(recorded[recorded.length - 1]!) : null,
    };
  }

  async run<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamName: string,
    command: Command,
    context: CommandContext,
    options: RunOptions<Event, State> = {},
  ): Promise<DecisionResult<Event, State>> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(decider, streamName);
      if (options.ifMatchRevision !== undefined && options.ifMatchRevision !== current.revision) {
        throw scimErrors.preconditionFailed(`Resource version is W/"${current.revision}", not W/"${options.ifMatchRevision}"`);
      }
      const events = decider.decide(command, current.state);
      const now = new Date().toISOString();
      if (events.length === 0) {
        return {
          events,
          state: current.state,
          revision: current.revision,
          position: null,
          createdAt: current.createdAt ?? now,
          lastModified: current.lastModified ?? now,
        };
      }
      const next = events.reduce(decider.evolve, current.state);
      await options.beforeAppend?.(events, next, current.state);
      try {
        const result = await this.eventStore.appendToStream(
          streamName,
          events.map((event) => {
            const eventId = randomUUID();
            return { eventId, type: event.type, data: event.data as Record<string, unknown>, metadata: { ...metadataOf(eventId, context, now) } };
          }),
          { expectedRevision: current.revision < 0 ? 'no_stream' : current.revision },
        );
        this.readYourWrites.recordWrite(context.workspaceId, result.position);
        return {
          events,
          state: next,
          revision: result.nextExpectedRevision,
          position: result.position,
          createdAt: current.createdAt ?? now,
          lastModified: now,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (options.ifMatchRevision !== undefined) {
          throw scimErrors.preconditionFailed(`Resource changed concurrently; now W/"${error.actual}"`);
        }
        if (attempt >= MAX_ATTEMPTS) throw error;
        // A little jitter spreads writers that keep colliding on one hot stream.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
      }
    }
  }
}

function occurredAt(event: { metadata: Record<string, unknown>; recordedAt: Date }): string {
  const value = event.metadata['occurredAt'];
  return typeof value === 'string' ? value : event.recordedAt.toISOString();
}

function metadataOf(eventId: string, context: CommandContext, at: string): EventMetadata & { requestId: string } {
  return {
    eventId,
    workspaceId: context.workspaceId,
    actor: context.actor,
    correlationId: context.requestId,
    causationId: context.requestId,
    occurredAt: at,
    dialect: context.dialect,
    schemaVersion: 1,
    requestId: context.requestId,
  };
}
