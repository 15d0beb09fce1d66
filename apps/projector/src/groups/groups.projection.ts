import { type EventMetadata, GROUP_EVENT_TYPES, type GroupEvent, isGroupEvent, parseStreamName, STREAM_CATEGORY } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';
import type { ConsumerDefinition } from '@axis/platform';
import { deleteMembershipRows, GroupMemberRecord, GroupRecord, GROUPS_PROJECTION, insertMembershipRows } from '@axis/read-model';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Builds `groups` and `group_members` from the group streams: what SCIM GET /Groups and the users'
 * `groups` attribute read. Membership events are deltas, so a PATCH adding 1,000 members to a
 * 50,000-member group writes 1,000 rows. A member deleted from the workspace leaves every
 * group's rows here at once (ACCOUNT_SCIM_USER_DELETED); the group-membership reactor also records
 * the removal on each group's stream. Rebuildable from history.
 */
export const groupsProjection: ConsumerDefinition = {
  name: GROUPS_PROJECTION,
  kind: 'projection',
  filter: {
    streamPrefixes: [`${STREAM_CATEGORY.group}-`, `${STREAM_CATEGORY.user}-`],
    eventTypes: [...GROUP_EVENT_TYPES, 'ACCOUNT_SCIM_USER_DELETED'],
  },
  async handle(events, manager) {
    for (const recorded of events) {
      if (isGroupEvent(recorded)) await applyGroupEvent(manager, recorded as RecordedEvent & GroupEvent);
      else if (recorded.type === 'ACCOUNT_SCIM_USER_DELETED') {
        const userId = recorded.data['userId'];
        if (typeof userId === 'string') await manager.delete(GroupMemberRecord, { memberId: userId });
      }
    }
  },
};

async function applyGroupEvent(manager: EntityManager, event: RecordedEvent & GroupEvent): Promise<void> {
  const metadata = event.metadata as Partial<EventMetadata>;
  const at = metadata.occurredAt ?? event.recordedAt.toISOString();
  const workspaceId = metadata.workspaceId ?? parseStreamName(event.streamName)?.workspaceId ?? 'unknown';
  const touched = { revision: event.revision, updatedAt: at };
  switch (event.type) {
    case 'ACCOUNT_SCIM_GROUP_CREATED': {
      const { groupId, displayName, externalId } = event.data;
      await manager
        .createQueryBuilder()
        .insert()
        .into(GroupRecord)
        .values({
          id: groupId,
          workspaceId,
          displayName,
          displayNameLc: displayName.toLowerCase(),
          externalId,
          resource: resourceOf(displayName, externalId),
          revision: event.revision,
          createdAt: at,
          updatedAt: at,
        } as QueryDeepPartialEntity<GroupRecord>)
        .orIgnore()
        .execute();
      return;
    }
    case 'ACCOUNT_SCIM_GROUP_RENAMED': {
      const group = await manager.findOneBy(GroupRecord, { id: event.data.groupId });
      if (!group) return;
      const { displayName } = event.data;
      await updateGroup(manager, group.id, { ...touched, displayName, displayNameLc: displayName.toLowerCase(), resource: resourceOf(displayName, group.externalId) });
      return;
    }
    case 'ACCOUNT_SCIM_GROUP_UPDATED': {
      const group = await manager.findOneBy(GroupRecord, { id: event.data.groupId });
      if (!group) return;
      const value = event.data.changes['externalId'];
      const externalId = 'externalId' in event.data.changes ? (typeof value === 'string' ? value : null) : group.externalId;
      await updateGroup(manager, group.id, { ...touched, externalId, resource: resourceOf(group.displayName, externalId) });
      return;
    }
    case 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED': {
      const { groupId, memberIds } = event.data;
      await insertMembershipRows(manager, 'group_members', groupId, memberIds, workspaceId);
      await updateGroup(manager, groupId, touched);
      return;
    }
    case 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED': {
      const { groupId, memberIds } = event.data;
      await deleteMembershipRows(manager, 'group_members', groupId, memberIds);
      await updateGroup(manager, groupId, touched);
      return;
    }
    case 'ACCOUNT_SCIM_GROUP_DELETED':
      await manager.delete(GroupMemberRecord, { groupId: event.data.groupId });
      await manager.delete(GroupRecord, { id: event.data.groupId });
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`Unhandled group event ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The `resource` column: the group without id, meta and members, for JSON-path filters. */
function resourceOf(displayName: string, externalId: string | null): Record<string, unknown> {
  return externalId === null ? { displayName } : { displayName, externalId };
}

async function updateGroup(manager: EntityManager, id: string, changes: Partial<GroupRecord>): Promise<void> {
  await manager.update(GroupRecord, { id }, changes as QueryDeepPartialEntity<GroupRecord>);
}
