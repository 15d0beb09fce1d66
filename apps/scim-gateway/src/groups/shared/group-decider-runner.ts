import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventMetadata } from '@axis/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '@axis/event-store';
import type { AppendedDecision, LoadedStream, PureDecider } from '@axis/platform';
import { scimErrors } from '@axis/scim';
import type { CommandContext } from '../../write/command-context';
import { DeciderRunner, type RunOptions } from '../../write/decider-runner';
import { GroupReadYourWrites, RoleMappingReadYourWrites } from './group-read-your-writes';
import { StreamStateCache } from './stream-state-cache';

type LoadableDecider<Event, State> = Pick<PureDecider<unknown, Event, State>, 'evolve' | 'initialState'> & { weigh?: (state: State) => number };

const MAX_ATTEMPTS = 100;

/**
 * The write loop for group streams: load → decide → append with the expected revision (412 on a
 * stale If-Match; without one a concurrent write is decided again on fresh state, so concurrent
 * membership PATCHes lose nothing), like DeciderRunner — but `load` starts from this process's
 * cached state of the stream and reads only the events after it. A group of 50,000 members built
 * by thousands of PATCHes is replayed once per process, not on every PATCH; membership events
 * are deltas, so a PATCH then costs what it changes. Writes are tracked for read-your-writes on
 * the group tracker (see GroupReadYourWrites).
 *
 * (DeciderRunner delegates to the platform's decideAndAppend, which loads whole streams; given a
 * loader hook there, this class would shrink to the cache.)
 */
@Injectable()
export class GroupDeciderRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: GroupReadYourWrites,
    private readonly cache: StreamStateCache,
  ) {}

  async load<Event extends DomainEvent, State>(decider: LoadableDecider<Event, State>, streamName: string): Promise<LoadedStream<State>> {
    const cached = this.cache.get(streamName, decider);
    const fromRevision = cached ? cached.revision + 1 : 0;
    const recorded = await this.store.readStream(streamName, { fromRevision });
    let state = cached ? (cached.state as State) : decider.initialState();
    for (const event of recorded) state = decider.evolve(state, event as unknown as Event);
    const revision = fromRevision - 1 + recorded.length;
    const createdAt = cached ? cached.createdAt : recorded[0] ? occurredAtOf(recorded[0]) : null;
    const lastModified = recorded.length > 0 ? occurredAtOf(recorded[recorded.length - 1]!) : (cached?.lastModified ?? null);
    if (recorded.length > 0) this.cache.set(streamName, { decider, state, revision, createdAt, lastModified, weight: decider.weigh?.(state) ?? 1 });
    return { state, revision, createdAt, lastModified };
  }

  async run<Command, Event extends DomainEvent, State>(
    decider: PureDecider<Command, Event, State> & LoadableDecider<Event, State>,
    streamName: string,
    command: Command,
    context: CommandContext,
    options: RunOptions<Event, State> = {},
  ): Promise<AppendedDecision<Event, State>> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(decider, streamName);
      if (options.ifMatchRevision !== undefined && options.ifMatchRevision !== current.revision) {
        throw scimErrors.preconditionFailed(`Resource version is W/"${current.revision}", not W/"${options.ifMatchRevision}"`);
      }
      const events = decider.decide(command, current.state);
      const occurredAt = new Date().toISOString();
      const createdAt = current.createdAt ?? occurredAt;
      if (events.length === 0) {
        return { events, state: current.state, revision: current.revision, position: null, occurredAt, createdAt, lastModified: current.lastModified ?? occurredAt };
      }
      const next = events.reduce(decider.evolve, current.state);
      await options.beforeAppend?.(events, next, current.state);
      try {
        const result = await this.store.appendToStream(
          streamName,
          events.map((event) => envelope(event, context, occurredAt)),
          { expectedRevision: current.revision < 0 ? 'no_stream' : current.revision },
        );
        this.readYourWrites.recordWrite(context.workspaceId, result.position);
        this.cache.set(streamName, {
          decider,
          state: next,
          revision: result.nextExpectedRevision,
          createdAt,
          lastModified: occurredAt,
          weight: decider.weigh?.(next) ?? 1,
        });
        return { events, state: next, revision: result.nextExpectedRevision, position: result.position, occurredAt, createdAt, lastModified: occurredAt };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (options.ifMatchRevision !== undefined) throw scimErrors.preconditionFailed(`Resource changed concurrently; now W/"${error.actual}"`);
        if (attempt >= MAX_ATTEMPTS) throw error;
        // A little jitter spreads writers that keep colliding on one hot group.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
      }
    }
  }
}

/** DeciderRunner for the role-mapping stream, tracked for read-your-writes on its own. */
@Injectable()
export class RoleMappingDeciderRunner extends DeciderRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, readYourWrites: RoleMappingReadYourWrites) {
    super(store, readYourWrites);
  }
}

function envelope(event: DomainEvent, context: CommandContext, occurredAt: string) {
  const eventId = randomUUID();
  const metadata: EventMetadata & { requestId: string } = {
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
  return { eventId, type: event.type, data: { ...event.data } as Record<string, unknown>, metadata: { ...metadata } };
}

function occurredAtOf(event: RecordedEvent): string {
  const value = event.metadata['occurredAt'];
  return typeof value === 'string' ? value : event.recordedAt.toISOString();
}
