import { Inject, Injectable } from '@nestjs/common';
import {
  type ChangeScimSettings,
  evolveScimSettings,
  initialScimSettings,
  type ScimSettings,
  type ScimSettingsChanged,
  scimSettingsDecider,
  scimSettingsStreamName,
  unknownAttributePolicyOf,
} from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { decideAndAppend, loadStream, type WriteContext } from '@axis/write';
import type { UnknownAttributePolicy } from '@axis/scim';

/** How long a process trusts its copy of a workspace's SCIM settings before looking for a change. */
export const SCIM_SETTINGS_REFRESH_MS = 1000;
const CACHE_LIMIT = 10_000;

interface Cached {
  settings: ScimSettings;
  revision: number;
  checkedAt: number;
}

/**
 * The SCIM settings of each workspace (`workspace-<id>.scim-settings`), read by every SCIM write:
 * a process reads only events newer than its copy, at most once per SCIM_SETTINGS_REFRESH_MS per
 * workspace (as `WorkspaceSchemas` does for the definitions), so a setting changed through this
 * process holds from the next request and one changed through another gateway process within that
 * bound. Changes go through the platform's decide-and-append loop (actor: the admin).
 */
@Injectable()
export class WorkspaceScimSettings {
  private readonly cache = new Map<string, Cached>();

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async forWorkspace(workspaceId: string): Promise<ScimSettings> {
    const now = Date.now();
    const cached = this.cache.get(workspaceId);
    if (cached && now - cached.checkedAt < SCIM_SETTINGS_REFRESH_MS) return cached.settings;
    const fromRevision = cached ? cached.revision + 1 : 0;
    const recorded = await this.eventStore.readStream(scimSettingsStreamName(workspaceId), { fromRevision });
    if (cached && recorded.length === 0) {
      cached.checkedAt = now;
      return cached.settings;
    }
    const settings = recorded.reduce(evolveScimSettings, cached?.settings ?? initialScimSettings());
    return this.remember(workspaceId, settings, fromRevision - 1 + recorded.length, now).settings;
  }

  /** What the workspace's SCIM writes do with attributes no schema of the workspace defines. */
  async unknownAttributePolicy(workspaceId: string): Promise<UnknownAttributePolicy> {
    return unknownAttributePolicyOf(await this.forWorkspace(workspaceId));
  }

  /** The settings as stored now (the admin API reads them so, whatever this process cached). */
  async current(workspaceId: string): Promise<ScimSettings> {
    const loaded = await loadStream(this.eventStore, scimSettingsDecider, scimSettingsStreamName(workspaceId));
    return this.remember(workspaceId, loaded.state, loaded.revision).settings;
  }

  /** Changes the settings `changes` names, keeping the others; the settings afterwards. */
  async change(changes: ChangeScimSettings['changes'], context: WriteContext): Promise<ScimSettings> {
    const result = await decideAndAppend<ChangeScimSettings, ScimSettingsChanged, ScimSettings>(
      this.eventStore,
      scimSettingsDecider,
      scimSettingsStreamName(context.workspaceId),
      { type: 'ChangeScimSettings', changes },
      context,
    );
    return this.remember(context.workspaceId, result.state, result.revision).settings;
  }

  private remember(workspaceId: string, settings: ScimSettings, revision: number, now = Date.now()): Cached {
    const current = this.cache.get(workspaceId);
    if (current && current.revision > revision) return current;
    if (!current && this.cache.size >= CACHE_LIMIT) this.cache.clear();
    const entry = { settings, revision, checkedAt: now };
    this.cache.set(workspaceId, entry);
    return entry;
  }
}
