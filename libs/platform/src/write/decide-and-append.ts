import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventMetadata, IdpDialect } from '@axis/domain';
import { type EventStore, type Position, WrongExpectedRevisionError } from '@axis/event-store';

export interface PureDecider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Who asked, and how: goes into every event's metadata. */
export interface WriteContext {
  workspaceId: string;
  /** `admin:<keyPrefix>`, `operator`, `token:<prefix>` … */
  actor: string;
  dialect: IdpDialect;
  /** Correlates the events with the request (or CLI run) that caused them; generated when absent. */
  requestId?: string;
}

export interface AppendedDecision<Event, State> {
  events: Event[];
  state: State;
  /** The stream's revision after the write (-1: still no stream). */
  revision: number;
  /** Where the last event landed; null when the decision produced no event. */
  position: Position | null;
  occurredAt: string;
}

const MAX_ATTEMPTS = 20;

/**
 * The write side outside a Nest request (CLI, embedded bootstrap, admin commands): load the
 * stream, decide, append with the expected revision, and on a concurrent write decide again on
 * fresh state. Rule violations thrown by the decider propagate unchanged.
 */
export async function decideAndAppend<Command, Event extends DomainEvent, State>(
  eventStore: EventStore,
  decider: PureDecider<Command, Event, State>,
  streamName: string,
  command: Command,
  context: WriteContext,
): Promise<AppendedDecision<Event, State>> {
  const requestId = context.requestId ?? randomUUID();
  for (let attempt = 1; ; attempt++) {
    const recorded = await eventStore.readStream(streamName);
    const state = recorded.reduce((current, event) => decider.evolve(current, event as unknown as Event), decider.initialState());
    const revision = recorded.length - 1;
    const events = decider.decide(command, state);
    const occurredAt = new Date().toISOString();
    if (events.length === 0) return { events, state, revision, position: null, occurredAt };
    try {
      const result = await eventStore.appendToStream(
        streamName,
        events.map((event) => {
          const eventId = randomUUID();
          const metadata: EventMetadata & { requestId: string } = {
            eventId,
            workspaceId: context.workspaceId,
            actor: context.actor,
            correlationId: requestId,
            causationId: requestId,
            occurredAt,
            dialect: context.dialect,
            schemaVersion: 1,
            requestId,
          };
          return { eventId, type: event.type, data: { ...event.data } as Record<string, unknown>, metadata: { ...metadata } };
        }),
        { expectedRevision: revision < 0 ? 'no_stream' : revision },
      );
      return {
        events,
        state: events.reduce(decider.evolve, state),
        revision: result.nextExpectedRevision,
        position: result.position,
        occurredAt,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
