import { Inject, Injectable } from '@nestjs/common';
import {
  type CustomAttributeEvent,
  type CustomAttributeState,
  customAttributeStreamName,
  evolveCustomAttribute,
  initialCustomAttributeState,
  workspaceUserSchemas,
  type WorkspaceUserSchemas,
} from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';

/** How long a process trusts its copy of a workspace's definitions before looking for new ones. */
export const DEFINITIONS_REFRESH_MS = 1000;
const CACHE_LIMIT = 10_000;

interface Cached {
  state: CustomAttributeState;
  revision: number;
  schemas: WorkspaceUserSchemas;
  checkedAt: number;
}

/**
 * The SCIM schemas of each workspace: the defaults plus its custom-attribute extension, folded from
 * the workspace's definitions stream (never the read model, so a definition holds from the next
 * request, with no projector in between). A process reads only events newer than its copy, and at
 * most once per DEFINITIONS_REFRESH_MS per workspace: a change made through another gateway process
 * takes effect here within that bound; one made through this process at once.
 */
@Injectable()
export class WorkspaceSchemas {
  private readonly cache = new Map<string, Cached>();

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async forWorkspace(workspaceId: string): Promise<WorkspaceUserSchemas> {
    const now = Date.now();
    const cached = this.cache.get(workspaceId);
    if (cached && now - cached.checkedAt < DEFINITIONS_REFRESH_MS) return cached.schemas;
    const fromRevision = cached ? cached.revision + 1 : 0;
    const recorded = await this.eventStore.readStream(customAttributeStreamName(workspaceId), { fromRevision });
    if (cached && recorded.length === 0) {
      cached.checkedAt = now;
      return cached.schemas;
    }
    let state = cached?.state ?? initialCustomAttributeState();
    for (const event of recorded) state = evolveCustomAttribute(state, event as unknown as CustomAttributeEvent);
    return this.remember(workspaceId, state, fromRevision - 1 + recorded.length, now).schemas;
  }

  /** The definitions this process just wrote: its next request uses them. */
  remember(workspaceId: string, state: CustomAttributeState, revision: number, now = Date.now()): Cached {
    const current = this.cache.get(workspaceId);
    if (current && current.revision > revision) return current;
    if (!current && this.cache.size >= CACHE_LIMIT) this.cache.clear();
    const entry = { state, revision, schemas: workspaceUserSchemas(state.attributes.values()), checkedAt: now };
    this.cache.set(workspaceId, entry);
    return entry;
  }
}
