import { Inject, Injectable } from '@nestjs/common';
import type { DomainEvent } from '@axis/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@axis/event-store';
import { type AppendedDecision, decideAndAppend, type LoadedStream, type PureDecider, StaleRevisionError } from '@axis/platform';
import { scimErrors } from '@axis/scim';
import type { CommandContext } from '../../write/command-context';
import { DeciderRunner, type RunOptions } from '../../write/decider-runner';
import { GroupReadYourWrites, RoleMappingReadYourWrites } from '../../consistency/group-read-your-writes';
import { StreamStateCache } from './stream-state-cache';

type LoadableDecider<Event, State> = Pick<PureDecider<unknown, Event, State>, 'evolve' | 'initialState'> & { weigh?: (state: State) => number };

/**
 * The write loop for group streams: load → decide → append with the expected revision (412 on a
 * stale If-Match; without one a concurrent write is decided again on fresh state, so concurrent
 * membership PATCHes lose nothing), like DeciderRunner — but `load` starts from this process's
 * cached state of the stream and reads only the events after it. A group of 50,000 members built
 * by thousands of PATCHes is replayed once per process, not on every PATCH; membership events
 * are deltas, so a PATCH then costs what it changes. Writes are tracked for read-your-writes on
 * the group tracker (see GroupReadYourWrites).
 * The loop itself is the platform's decideAndAppend, given this cached loader.
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
    try {
      const result = await decideAndAppend(this.store, decider, streamName, command, context, {
        load: () => this.load(decider, streamName),
        ...(options.ifMatchRevision === undefined ? {} : { expectedRevision: options.ifMatchRevision }),
        ...(options.beforeAppend ? { beforeAppend: options.beforeAppend } : {}),
      });
      if (result.position) {
        this.cache.set(streamName, {
          decider,
          state: result.state,
          revision: result.revision,
          createdAt: result.createdAt,
          lastModified: result.lastModified,
          weight: decider.weigh?.(result.state) ?? 1,
        });
        await this.readYourWrites.recordWrite(context.workspaceId, result.position);
      }
      return result;
    } catch (error) {
      if (error instanceof StaleRevisionError) {
        throw scimErrors.preconditionFailed(`Resource version is W/"${error.actual}", not W/"${error.expected}"`);
      }
      throw error;
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

function occurredAtOf(event: RecordedEvent): string {
  const value = event.metadata['occurredAt'];
  return typeof value === 'string' ? value : event.recordedAt.toISOString();
}
