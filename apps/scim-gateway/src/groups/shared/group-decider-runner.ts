import { Inject, Injectable } from '@nestjs/common';
import type { DomainEvent } from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { type Decider, DeciderRunner } from '../../write/decider-runner';
import { GroupReadYourWrites, RoleMappingReadYourWrites } from './group-read-your-writes';
import { StreamStateCache } from './stream-state-cache';

type LoadableDecider<Event extends DomainEvent, State> = Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'> & { weigh?: (state: State) => number };

/**
 * DeciderRunner for group streams: the same load → decide → append with expected revision (412 on
 * a stale If-Match, retries on fresh state otherwise), but `load` starts from the cached state of
 * the stream and reads only the events after it. A group with 50,000 members built by thousands of
 * PATCHes is replayed once per process, not on every PATCH. Writes are tracked for read-your-writes
 * on the group tracker (see GroupReadYourWrites).
 */
@Injectable()
export class GroupDeciderRunner extends DeciderRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    readYourWrites: GroupReadYourWrites,
    private readonly cache: StreamStateCache,
  ) {
    super(store, readYourWrites);
  }

  override async load<Event extends DomainEvent, State>(
    decider: LoadableDecider<Event, State>,
    streamName: string,
  ): Promise<{ state: State; revision: number; createdAt: string | null; lastModified: string | null }> {
    const cached = this.cache.get(streamName, decider);
    const fromRevision = cached ? cached.revision + 1 : 0;
    const tl = performance.now();
    const recorded = await this.store.readStream(streamName, { fromRevision });
    const tr = performance.now();
    let state = cached ? (cached.state as State) : decider.initialState();
    for (const event of recorded) state = decider.evolve(state, event as unknown as Event);
    const revision = fromRevision - 1 + recorded.length;
    const createdAt = cached?.createdAt ?? (recorded[0] ? occurredAt(recorded[0]) : null);
    const lastModified = recorded.length > 0 ? occurredAt(recorded[recorded.length - 1]!) : (cached?.lastModified ?? null);
    if (revision >= 0 && recorded.length > 0) {
      this.cache.set(streamName, { decider, state, revision, createdAt, lastModified, weight: decider.weigh?.(state) ?? 1 });
    }
    if (process.env['GROUP_TIMING']) process.stderr.write(`LOAD from=${fromRevision} n=${recorded.length} read=${(tr - tl).toFixed(1)} fold=${(performance.now() - tr).toFixed(1)}\n`);
    return { state, revision, createdAt, lastModified };
  }
}

/** DeciderRunner for the role-mapping stream, tracked for read-your-writes on its own. */
@Injectable()
export class RoleMappingDeciderRunner extends DeciderRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, readYourWrites: RoleMappingReadYourWrites) {
    super(store, readYourWrites);
  }
}

function occurredAt(event: { metadata: Record<string, unknown>; recordedAt: Date }): string {
  const value = event.metadata['occurredAt'];
  return typeof value === 'string' ? value : event.recordedAt.toISOString();
}
