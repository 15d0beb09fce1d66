import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventMetadata } from '@axis/domain';
import { EVENT_STORE, type EventStore, type Position, WrongExpectedRevisionError } from '@axis/event-store';
import { scimErrors } from '@axis/scim';
import type { CommandContext } from '../users/create-user/create-user.command';
import { ReadYourWrites } from '../consistency/read-your-writes';

export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface DecisionResult<Event, State> {
  events: Event[];
  state: State;
  /** The stream's revision after the write: the resource's ETag. */
  revision: number;
  position: Position | null;
  occurredAt: string;
}

const MAX_ATTEMPTS = 20;

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

  async run<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamName: string,
    command: Command,
    context: CommandContext & { workspaceId: string },
    ifMatchRevision?: number,
  ): Promise<DecisionResult<Event, State>> {
    for (let attempt = 1; ; attempt++) {
      const recorded = await this.eventStore.readStream(streamName);
      let state = decider.initialState();
      for (const event of recorded) state = decider.evolve(state, event as unknown as Event);
      const currentRevision = recorded.length - 1;
      if (ifMatchRevision !== undefined && ifMatchRevision !== currentRevision) {
        throw scimErrors.preconditionFailed(`Resource version is W/"${currentRevision}", not W/"${ifMatchRevision}"`);
      }
      const events = decider.decide(command, state);
      const occurredAt = new Date().toISOString();
      if (events.length === 0) {
        return { events, state, revision: currentRevision, position: null, occurredAt };
      }
      try {
        const result = await this.eventStore.appendToStream(
          streamName,
          events.map((event) => {
            const eventId = randomUUID();
            return {
              eventId,
              type: event.type,
              data: event.data as Record<string, unknown>,
              metadata: { ...metadataOf(eventId, context, occurredAt) },
            };
          }),
          { expectedRevision: currentRevision < 0 ? 'no_stream' : currentRevision },
        );
        this.readYourWrites.recordWrite(context.workspaceId, result.position);
        const finalState = events.reduce(decider.evolve, state);
        return { events, state: finalState, revision: result.nextExpectedRevision, position: result.position, occurredAt };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (ifMatchRevision !== undefined) {
          throw scimErrors.preconditionFailed(`Resource changed concurrently; now W/"${error.actual}"`);
        }
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

function metadataOf(
  eventId: string,
  context: CommandContext & { workspaceId: string },
  occurredAt: string,
): EventMetadata & { requestId: string } {
  return {
    eventId,
    workspaceId: context.workspaceId,
    actor: context.actor,
    correlationId: context.requestId,
    causationId: context.requestId,
    occurredAt,
    dialect: context.dialect,
    schemaVersion: 1,
    requestId: context.requestId,
  };
}
