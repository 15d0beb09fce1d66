import { createHash } from 'node:crypto';
import {
  ELEVATED_ROLES,
  type EventMetadata,
  groupDecider,
  groupStreamName,
  memberRolesChanged,
  parseStreamName,
  ROLE_MAPPING_STREAM_CATEGORY,
  sameRoles,
  STREAM_CATEGORY,
  userStreamName,
} from '@axis/domain';
import { type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '@axis/event-store';
import type { ConsumerDefinition } from '@axis/platform';
import {
  deleteMembershipRows,
  DeletedMemberRecord,
  GROUP_MEMBERSHIP_REACTOR,
  insertMembershipRows,
  GroupMembershipIndexRecord,
  MemberRolesRecord,
  revokeMemberSessions,
  RoleMappingRecord,
} from '@axis/read-model';
import { appendEvents, decideAndAppend, type WriteContext } from '@axis/write';
import { type EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

const CHUNK = 500;
const MAX_APPEND_ATTEMPTS = 20;
/** User streams written at once when a mapping change touches many members. */
const ANNOUNCE_CONCURRENCY = 8;

const REACTED_TO = [
  'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED',
  'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
  'ACCOUNT_SCIM_GROUP_DELETED',
  'ACCOUNT_SCIM_USER_DELETED',
  'TENANT_ROLE_MAPPING_SET',
];

/**
 * The group-membership reactor (its own checkpoint; never re-run by a projection replay):
 *
 * - **A member deleted from the workspace leaves every group on the write side**: on
 *   ACCOUNT_SCIM_USER_DELETED it appends ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED (reason
 *   `member-deleted`) to each group the member was in, so the groups' streams, Kafka and webhooks
 *   say so. An addition of that member that lands after the deletion (decided just before it) is
 *   undone the same way.
 * - **Roles**: a member's effective roles are the union of the roles its groups grant. When
 *   membership or the mapping changes them, it appends ACCOUNT_SCIM_USER_UPDATED with
 *   `changedAttributes: ['roles']` to the member's stream, and when the member loses an elevated
 *   role (admin, owner) it revokes the member's sessions — sessions do not record the roles they
 *   were opened with, so every live session may be elevated.
 *
 * It keeps its own tables (`group_membership_index`, `deleted_members`, `role_mappings`,
 * `member_roles`), updated in its own event order in the transaction that moves its checkpoint:
 * it never depends on how far another consumer has got. Its appends are idempotent: group removals
 * go through the group decider (removing a non-member appends nothing), role announcements carry an
 * event id derived from the causing event and the member, checked before appending.
 */
export function groupMembershipReactor(eventStore: EventStore): ConsumerDefinition {
  return {
    name: GROUP_MEMBERSHIP_REACTOR,
    kind: 'reactor',
    batchSize: 100,
    filter: {
      streamPrefixes: [`${STREAM_CATEGORY.group}-`, `${STREAM_CATEGORY.user}-`, `${ROLE_MAPPING_STREAM_CATEGORY}-`],
      eventTypes: REACTED_TO,
    },
    async handle(events, manager) {
      for (const event of events) await react(event, manager, eventStore);
    },
  };
}

async function react(event: RecordedEvent, manager: EntityManager, eventStore: EventStore): Promise<void> {
  const metadata = event.metadata as Partial<EventMetadata>;
  const workspaceId = metadata.workspaceId ?? parseStreamName(event.streamName)?.workspaceId ?? 'unknown';
  const at = metadata.occurredAt ?? event.recordedAt.toISOString();
  const context: ReactionContext = { manager, eventStore, workspaceId, cause: event };
  switch (event.type) {
    case 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED': {
      const groupId = String(event.data['groupId']);
      const memberIds = stringsOf(event.data['memberIds']);
      await insertMembershipRows(manager, 'group_membership_index', groupId, memberIds, workspaceId);
      const deleted = await deletedAmong(manager, memberIds);
      for (const memberId of deleted) await removeDeletedMember(context, groupId, memberId);
      if (await isMapped(manager, workspaceId, groupId)) await recomputeRoles(context, memberIds.filter((id) => !deleted.has(id)));
      return;
    }
    case 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED': {
      const groupId = String(event.data['groupId']);
      const memberIds = stringsOf(event.data['memberIds']);
      await deleteMembershipRows(manager, 'group_membership_index', groupId, memberIds);
      if (await isMapped(manager, workspaceId, groupId)) await recomputeRoles(context, memberIds);
      return;
    }
    case 'ACCOUNT_SCIM_GROUP_DELETED': {
      const groupId = String(event.data['groupId']);
      const members = (await manager.find(GroupMembershipIndexRecord, { where: { groupId }, select: { memberId: true } })).map((row) => row.memberId);
      await manager.delete(GroupMembershipIndexRecord, { groupId });
      if (await isMapped(manager, workspaceId, groupId)) {
        await manager.delete(RoleMappingRecord, { workspaceId, groupId });
        await recomputeRoles(context, members);
      }
      return;
    }
    case 'ACCOUNT_SCIM_USER_DELETED': {
      const memberId = String(event.data['userId']);
      await manager.createQueryBuilder().insert().into(DeletedMemberRecord).values({ memberId, workspaceId, deletedAt: at }).orIgnore().execute();
      const groups = (await manager.find(GroupMembershipIndexRecord, { where: { memberId }, select: { groupId: true } })).map((row) => row.groupId);
      await manager.delete(GroupMembershipIndexRecord, { memberId });
      await manager.delete(MemberRolesRecord, { memberId });
      for (const groupId of groups) await removeDeletedMember(context, groupId, memberId);
      return;
    }
    case 'TENANT_ROLE_MAPPING_SET': {
      const groupId = String(event.data['groupId']);
      const roles = stringsOf(event.data['roles']);
      if (roles.length === 0) await manager.delete(RoleMappingRecord, { workspaceId, groupId });
      else {
        await manager.upsert(
          RoleMappingRecord,
          { workspaceId, groupId, roles, updatedAt: at, updatedBy: metadata.actor ?? 'unknown' } as QueryDeepPartialEntity<RoleMappingRecord>,
          ['workspaceId', 'groupId'],
        );
      }
      const members = (await manager.find(GroupMembershipIndexRecord, { where: { groupId }, select: { memberId: true } })).map((row) => row.memberId);
      await recomputeRoles(context, members);
      return;
    }
  }
}

interface ReactionContext {
  manager: EntityManager;
  eventStore: EventStore;
  workspaceId: string;
  cause: RecordedEvent;
}

async function deletedAmong(manager: EntityManager, memberIds: string[]): Promise<Set<string>> {
  const deleted = new Set<string>();
  for (let start = 0; start < memberIds.length; start += CHUNK) {
    const rows = await manager.find(DeletedMemberRecord, { where: { memberId: In(memberIds.slice(start, start + CHUNK)) }, select: { memberId: true } });
    for (const row of rows) deleted.add(row.memberId);
  }
  return deleted;
}

async function isMapped(manager: EntityManager, workspaceId: string, groupId: string): Promise<boolean> {
  return (await manager.countBy(RoleMappingRecord, { workspaceId, groupId })) > 0;
}

/** Appends the removal of a deleted member to the group's stream, if it is still a member there. */
async function removeDeletedMember(context: ReactionContext, groupId: string, memberId: string): Promise<void> {
  await decideAndAppend(
    context.eventStore,
    groupDecider,
    groupStreamName(context.workspaceId, groupId),
    { type: 'RemoveDeletedMember', groupId, memberId },
    writeContextOf(context, 'system:member-cleanup'),
    { maxAttempts: MAX_APPEND_ATTEMPTS },
  );
}

/**
 * Recomputes the effective roles of `memberIds` from this reactor's own index and mapping, and for
 * each member whose roles changed: announces it on the member's stream, stores the new roles and,
 * when an elevated role was lost, revokes the member's sessions.
 */
async function recomputeRoles(context: ReactionContext, memberIds: string[]): Promise<void> {
  const { manager, workspaceId } = context;
  const unique = [...new Set(memberIds)];
  if (unique.length === 0) return;
  const deleted = await deletedAmong(manager, unique);
  const live = unique.filter((id) => !deleted.has(id));
  const effective = new Map<string, Set<string>>(live.map((id) => [id, new Set<string>()]));
  const announced = new Map<string, string[]>();
  for (let start = 0; start < live.length; start += CHUNK) {
    const chunk = live.slice(start, start + CHUNK);
    const granted: Array<{ member_id: string; roles: unknown }> = await manager
      .createQueryBuilder()
      .select('i.member_id', 'member_id')
      .addSelect('r.roles', 'roles')
      .from(GroupMembershipIndexRecord, 'i')
      .innerJoin(RoleMappingRecord, 'r', 'r.group_id = i.group_id AND r.workspace_id = i.workspace_id')
      .where('i.member_id IN (:...ids)', { ids: chunk })
      .getRawMany();
    for (const row of granted) for (const role of parseRoles(row.roles)) effective.get(row.member_id)?.add(role);
    for (const row of await manager.find(MemberRolesRecord, { where: { memberId: In(chunk) } })) announced.set(row.memberId, row.roles);
  }
  const changes = live
    .map((memberId) => ({ memberId, before: announced.get(memberId) ?? [], after: [...effective.get(memberId)!].sort() }))
    .filter((change) => !sameRoles(change.before, change.after));
  const at = new Date().toISOString();
  for (let start = 0; start < changes.length; start += ANNOUNCE_CONCURRENCY) {
    const batch = changes.slice(start, start + ANNOUNCE_CONCURRENCY);
    const outcomes = await Promise.all(batch.map((change) => announceRoles(context, change.memberId, change.before, change.after)));
    for (const [index, change] of batch.entries()) {
      if (outcomes[index] === 'gone') {
        await manager.delete(MemberRolesRecord, { memberId: change.memberId });
        continue;
      }
      if (change.after.length === 0) await manager.delete(MemberRolesRecord, { memberId: change.memberId });
      else {
        await manager.upsert(
          MemberRolesRecord,
          { memberId: change.memberId, workspaceId, roles: change.after, updatedAt: at } as QueryDeepPartialEntity<MemberRolesRecord>,
          ['memberId'],
        );
      }
      if (change.before.some((role) => ELEVATED_ROLES.includes(role) && !change.after.includes(role))) {
        await revokeMemberSessions(manager, change.memberId, at, 'ROLE_REVOKED');
      }
    }
  }
}

/** Appends the member's role change once (a retried batch finds its own event and skips it). */
async function announceRoles(context: ReactionContext, memberId: string, before: string[], after: string[]): Promise<'appended' | 'exists' | 'gone'> {
  const stream = userStreamName(context.workspaceId, memberId);
  const eventId = derivedUuid(`${context.cause.eventId}:${memberId}:roles`);
  for (let attempt = 1; ; attempt++) {
    const recorded = await context.eventStore.readStream(stream);
    if (recorded.length === 0 || recorded[recorded.length - 1]!.type === 'ACCOUNT_SCIM_USER_DELETED') return 'gone';
    if (recorded.some((event) => event.eventId === eventId)) return 'exists';
    const event = memberRolesChanged(memberId, before, after, context.cause.type);
    try {
      await appendEvents(context.eventStore, stream, [event], writeContextOf(context, 'system:roles'), { eventIds: [eventId], expectedRevision: recorded.length - 1 });
      return 'appended';
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
    }
  }
}

/** This reactor's writes are caused by the event it reacts to, in the name of `actor`. */
function writeContextOf(context: ReactionContext, actor: string): WriteContext {
  return { workspaceId: context.workspaceId, actor, dialect: 'system', cause: context.cause };
}

/** A UUID (version 5 layout) derived from `seed`: the same seed always names the same event. */
export function derivedUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function parseRoles(value: unknown): string[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return stringsOf(parsed);
}
