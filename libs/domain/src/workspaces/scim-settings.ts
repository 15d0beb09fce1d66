import type { DomainEvent } from '../shared/event-metadata';
import { STREAM_CATEGORY } from '../shared/stream-names';

/** How SCIM provisioning behaves in one workspace; changed by an admin. */
export interface ScimSettings {
  /**
   * A SCIM create whose primary email matches a local account links to it on first sync (the
   * product de-duplicates by email). Off: the create is 409 SCIM_USER_CONFLICT until an admin merges.
   */
  autoMergeLocalAccounts: boolean;
}

export const DEFAULT_SCIM_SETTINGS: ScimSettings = { autoMergeLocalAccounts: true };

export type ScimSettingsChanged = DomainEvent<'TENANT_SCIM_SETTINGS_CHANGED', ScimSettings>;

export function scimSettingsStreamName(workspaceId: string): string {
  return `${STREAM_CATEGORY.workspace}-${workspaceId}.scim-settings`;
}

/** The settings in force after a stream of changes (each event carries the whole settings). */
export function scimSettingsOf(events: ReadonlyArray<{ type: string; data: unknown }>): ScimSettings {
  const last = [...events].reverse().find((event) => event.type === 'TENANT_SCIM_SETTINGS_CHANGED');
  return last ? { ...DEFAULT_SCIM_SETTINGS, ...(last.data as Partial<ScimSettings>) } : DEFAULT_SCIM_SETTINGS;
}
