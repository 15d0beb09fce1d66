import type { UnknownAttributePolicy } from '@axis/scim';
import type { DomainEvent } from '../shared/event-metadata';
import { STREAM_CATEGORY } from '../shared/stream-names';
import type { Decider } from '../shared/decider';

/** How SCIM provisioning behaves in one workspace; changed by an admin. */
export interface ScimSettings {
  /**
   * A SCIM create whose primary email matches a local account links to it on first sync (the
   * product de-duplicates by email). Off: the create is 409 SCIM_USER_CONFLICT until an admin merges.
   */
  autoMergeLocalAccounts: boolean;
  /**
   * A POST, PUT or PATCH of a user or group naming an attribute no schema of the workspace defines
   * is refused (400 `invalidPath`, SCIM_INVALID_PATH, nothing stored). Off (the default): such
   * attributes are ignored and listed (`ignoredAttributes`, `SCIM_ATTRIBUTES_IGNORED`), because
   * IdPs re-send unmapped attributes on every sync.
   */
  rejectUnknownAttributes: boolean;
}

export const DEFAULT_SCIM_SETTINGS: ScimSettings = { autoMergeLocalAccounts: true, rejectUnknownAttributes: false };

export type ScimSettingsChanged = DomainEvent<'TENANT_SCIM_SETTINGS_CHANGED', ScimSettings>;

export const SCIM_SETTINGS_EVENT_TYPES: ReadonlyArray<ScimSettingsChanged['type']> = ['TENANT_SCIM_SETTINGS_CHANGED'];

/** An admin changes some settings; the ones left out keep their current value. */
export interface ChangeScimSettings {
  type: 'ChangeScimSettings';
  changes: Partial<ScimSettings>;
}

export function scimSettingsStreamName(workspaceId: string): string {
  return `${STREAM_CATEGORY.workspace}-${workspaceId}.scim-settings`;
}

export const initialScimSettings = (): ScimSettings => DEFAULT_SCIM_SETTINGS;

/**
 * The event carries the whole settings after the change (what a reader needs, whatever it missed);
 * a change that changes nothing is no event.
 */
export function decideScimSettings(command: ChangeScimSettings, state: ScimSettings): ScimSettingsChanged[] {
  const next: ScimSettings = { ...state };
  for (const key of Object.keys(DEFAULT_SCIM_SETTINGS) as Array<keyof ScimSettings>) {
    const value = command.changes[key];
    if (typeof value === 'boolean') next[key] = value;
  }
  const changed = (Object.keys(next) as Array<keyof ScimSettings>).some((key) => next[key] !== state[key]);
  return changed ? [{ type: 'TENANT_SCIM_SETTINGS_CHANGED', data: next }] : [];
}

/** Events written before a setting existed lack it: its default applies. */
export function evolveScimSettings(state: ScimSettings, event: { type: string; data: unknown }): ScimSettings {
  return event.type === 'TENANT_SCIM_SETTINGS_CHANGED' ? { ...DEFAULT_SCIM_SETTINGS, ...(event.data as Partial<ScimSettings>) } : state;
}

/** The settings in force after a stream of changes. */
export function scimSettingsOf(events: ReadonlyArray<{ type: string; data: unknown }>): ScimSettings {
  return events.reduce(evolveScimSettings, initialScimSettings());
}

/** What the workspace's SCIM writes do with attributes no schema of the workspace defines. */
export function unknownAttributePolicyOf(settings: ScimSettings): UnknownAttributePolicy {
  return settings.rejectUnknownAttributes ? 'reject' : 'ignore';
}

export const scimSettingsDecider: Decider<ChangeScimSettings, ScimSettingsChanged, ScimSettings> = { decide: decideScimSettings, evolve: evolveScimSettings, initialState: initialScimSettings };
