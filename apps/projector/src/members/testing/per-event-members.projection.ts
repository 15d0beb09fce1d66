import { type EventMetadata, isUserEvent, localAttributesOf, STREAM_CATEGORY, USER_EVENT_TYPES, type UserEvent } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';
import type { ConsumerDefinition } from '@axis/platform';
import { MemberEmailRecord, MEMBERS_PROJECTION, memberColumnsOf, memberEmailsOf, MemberRecord } from '@axis/read-model';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** The first, per-event members projection: the reference the batched one is checked against. */
export const perEventMembersProjection: ConsumerDefinition = {
  name: MEMBERS_PROJECTION,
  kind: 'projection',
  filter: { streamPrefixes: [`${STREAM_CATEGORY.user}-`], eventTypes: [...USER_EVENT_TYPES] },
  async handle(events, manager) {
    for (const recorded of events) {
      if (isUserEvent(recorded)) await applyUserEvent(manager, recorded as RecordedEvent & UserEvent);
    }
  },
};

async function applyUserEvent(manager: EntityManager, event: RecordedEvent & UserEvent): Promise<void> {
  const metadata = event.metadata as unknown as EventMetadata;
  const at = metadata.occurredAt ?? event.recordedAt.toISOString();
  switch (event.type) {
    case 'ACCOUNT_SCIM_USER_CREATED': {
      const { userId, attributes, active } = event.data;
      await manager.insert(MemberRecord, {
        id: userId,
        workspaceId: metadata.workspaceId,
        ...memberColumnsOf(attributes),
        active,
        source: 'scim',
        resource: { ...attributes, active },
        revision: event.revision,
        createdAt: at,
        updatedAt: at,
      });
      await replaceEmails(manager, userId, metadata.workspaceId, attributes);
      return;
    }
    case 'ACCOUNT_LOCAL_MEMBER_CREATED': {
      const attributes = localAttributesOf(event.data);
      await manager.insert(MemberRecord, {
        id: event.data.userId,
        workspaceId: metadata.workspaceId,
        ...memberColumnsOf(attributes),
        active: true,
        source: 'local',
        resource: { ...attributes, active: true },
        revision: event.revision,
        createdAt: at,
        updatedAt: at,
      });
      await replaceEmails(manager, event.data.userId, metadata.workspaceId, attributes);
      return;
    }
    case 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED':
      await updateMember(manager, event.data.userId, { revision: event.revision, updatedAt: at });
      return;
    case 'ACCOUNT_SCIM_USER_MERGED': {
      // The local member keeps its id (and sessions) and becomes SCIM-managed.
      const { userId, attributes, active } = event.data;
      if (!(await manager.existsBy(MemberRecord, { id: userId }))) return;
      await updateMember(manager, userId, {
        ...memberColumnsOf(attributes),
        active,
        source: 'scim',
        resource: { ...attributes, active },
        revision: event.revision,
        updatedAt: at,
      });
      await replaceEmails(manager, userId, metadata.workspaceId, attributes);
      return;
    }
    case 'ACCOUNT_SCIM_USER_UPDATED': {
      const member = await manager.findOneBy(MemberRecord, { id: event.data.userId });
      if (!member) return;
      const resource = withoutNulls({ ...member.resource, ...event.data.changes });
      await updateMember(manager, member.id, { ...memberColumnsOf(resource), resource, revision: event.revision, updatedAt: at });
      if ('emails' in event.data.changes) await replaceEmails(manager, member.id, member.workspaceId, resource);
      return;
    }
    case 'ACCOUNT_SCIM_USER_DEACTIVATED':
    case 'ACCOUNT_SCIM_USER_REACTIVATED': {
      const member = await manager.findOneBy(MemberRecord, { id: event.data.userId });
      if (!member) return;
      const active = event.type === 'ACCOUNT_SCIM_USER_REACTIVATED';
      await updateMember(manager, member.id, { active, resource: { ...member.resource, active }, revision: event.revision, updatedAt: at });
      return;
    }
    case 'ACCOUNT_SCIM_USER_DELETED':
      await manager.delete(MemberEmailRecord, { memberId: event.data.userId });
      await manager.delete(MemberRecord, { id: event.data.userId });
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`Unhandled user event ${JSON.stringify(unhandled)}`);
    }
  }
}

/** TypeORM's partial-entity type cannot see through the JSON `resource` column; the fields are checked here. */
async function updateMember(manager: EntityManager, id: string, changes: Partial<MemberRecord>): Promise<void> {
  await manager.update(MemberRecord, { id }, changes as QueryDeepPartialEntity<MemberRecord>);
}

async function replaceEmails(
  manager: EntityManager,
  memberId: string,
  workspaceId: string,
  attributes: Record<string, unknown>,
): Promise<void> {
  await manager.delete(MemberEmailRecord, { memberId });
  const emails = memberEmailsOf(memberId, workspaceId, attributes);
  if (emails.length > 0) await manager.insert(MemberEmailRecord, emails);
}

function withoutNulls(resource: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resource).filter(([, value]) => value !== null));
}
