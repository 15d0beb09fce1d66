import { Inject, Injectable } from '@nestjs/common';
import type { GroupState } from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { DeciderRunner } from '../../write/decider-runner';
import { GroupReadYourWrites, RoleMappingReadYourWrites } from '../../consistency/group-read-your-writes';
import { CachedStreamLoader } from './cached-stream-loader';
import { StreamStateCache } from './stream-state-cache';

/** A group's cache weight: its member ids, the bulk of what it holds. */
function weighGroup(state: unknown): number {
  const group = state as GroupState;
  return group.status === 'existing' ? group.members.size + 1 : 1;
}

/**
 * The write loop for group streams: DeciderRunner with the cached loader (a group stream is read
 * from this process's cached state onwards, not replayed on every PATCH), and group writes tracked
 * for read-your-writes on the group tracker (see GroupReadYourWrites). Concurrent membership
 * PATCHes lose nothing: a concurrent write is decided again on fresh state.
 */
@Injectable()
export class GroupDeciderRunner extends DeciderRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, readYourWrites: GroupReadYourWrites, cache: StreamStateCache) {
    super(store, readYourWrites, new CachedStreamLoader(store, cache, weighGroup));
  }
}

/** DeciderRunner for the role-mapping stream, tracked for read-your-writes on its own. */
@Injectable()
export class RoleMappingDeciderRunner extends DeciderRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, readYourWrites: RoleMappingReadYourWrites) {
    super(store, readYourWrites);
  }
}
