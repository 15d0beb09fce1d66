import type { DomainEvent } from '../shared/event-metadata';
import { STREAM_CATEGORY } from '../shared/stream-names';

/**
 * Group events, stream `group-<workspaceId>.<groupId>`. Membership events carry only the delta
 * (the ids added or removed), so the cost of a PATCH never grows with the group's size; a group's
 * membership is the fold of its stream. Groups hold users only (no nesting).
 */
export interface GroupCreatedData {
  groupId: string;
  displayName: string;
  /** Always present, null when the IdP sent none (Entra sends the group's objectId). */
  externalId: string | null;
}

export interface GroupRenamedData {
  groupId: string;
  displayName: string;
  previousDisplayName: string;
}

/** Attributes other than displayName and members that changed (today: externalId). */
export interface GroupUpdatedData {
  groupId: string;
  changedAttributes: string[];
  /** New values; null means removed. */
  changes: Record<string, unknown>;
}

export interface GroupMembersAddedData {
  groupId: string;
  /** User ids that became members, each once, none that already was one. */
  memberIds: string[];
}

/** Why members left: a SCIM request, or the member was deleted from the workspace. */
export type GroupMembersRemovedReason = 'scim' | 'member-deleted';

export interface GroupMembersRemovedData {
  groupId: string;
  /** User ids that stopped being members, each once, none that was not one. */
  memberIds: string[];
  reason: GroupMembersRemovedReason;
}

export interface GroupDeletedData {
  groupId: string;
  displayName: string;
}

export type GroupCreated = DomainEvent<'ACCOUNT_SCIM_GROUP_CREATED', GroupCreatedData>;
export type GroupRenamed = DomainEvent<'ACCOUNT_SCIM_GROUP_RENAMED', GroupRenamedData>;
export type GroupUpdated = DomainEvent<'ACCOUNT_SCIM_GROUP_UPDATED', GroupUpdatedData>;
export type GroupMembersAdded = DomainEvent<'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', GroupMembersAddedData>;
export type GroupMembersRemoved = DomainEvent<'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', GroupMembersRemovedData>;
export type GroupDeleted = DomainEvent<'ACCOUNT_SCIM_GROUP_DELETED', GroupDeletedData>;

export type GroupEvent = GroupCreated | GroupRenamed | GroupUpdated | GroupMembersAdded | GroupMembersRemoved | GroupDeleted;

export const GROUP_EVENT_TYPES: ReadonlyArray<GroupEvent['type']> = [
  'ACCOUNT_SCIM_GROUP_CREATED',
  'ACCOUNT_SCIM_GROUP_RENAMED',
  'ACCOUNT_SCIM_GROUP_UPDATED',
  'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED',
  'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
  'ACCOUNT_SCIM_GROUP_DELETED',
];

export function isGroupEvent(event: { type: string }): event is GroupEvent {
  return (GROUP_EVENT_TYPES as readonly string[]).includes(event.type);
}

export function groupStreamName(workspaceId: string, groupId: string): string {
  return `${STREAM_CATEGORY.group}-${workspaceId}.${groupId}`;
}
