import { type EventMetadata, isUserEvent, type UserEvent } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';
import type { ConsumerDefinition } from '@axis/platform';
import { AuditEntryRecord, MemberRecord } from '@axis/read-model';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

export const AUDIT_REACTOR = 'audit';

/** Writes the Security Console audit log: one entry per event, keyed by the event id. */
export const auditReactor: ConsumerDefinition = {
  name: AUDIT_REACTOR,
  filter: { streamPrefixes: ['user-', 'group-', 'workspace-'] },
  batchSize: 500,
  async handle(events, manager) {
    const entries = [];
    for (const event of events) entries.push(await auditEntryOf(event, manager));
    await manager.createQueryBuilder().insert().into(AuditEntryRecord).values(entries as QueryDeepPartialEntity<AuditEntryRecord>[]).orIgnore().execute();
  },
};

async function auditEntryOf(event: RecordedEvent, manager: EntityManager): Promise<AuditEntryRecord> {
  const metadata = event.metadata as Partial<EventMetadata> & { requestId?: string };
  const target = isUserEvent(event) ? await userTarget(event as RecordedEvent & UserEvent, manager) : null;
  const changedAttributes =
    event.type === 'ACCOUNT_SCIM_USER_UPDATED' ? (event.data['changedAttributes'] as string[] | undefined) : undefined;
  return {
    id: event.eventId,
    workspaceId: metadata.workspaceId ?? 'unknown',
    code: event.type,
    occurredAt: metadata.occurredAt ?? event.recordedAt.toISOString(),
    actor: metadata.actor ?? 'unknown',
    targetId: target?.id ?? null,
    targetExternalId: target?.externalId ?? null,
    targetUserName: target?.userName ?? null,
    dialect: metadata.dialect ?? 'rfc',
    requestId: metadata.requestId ?? metadata.correlationId ?? null,
    details: changedAttributes ? { changedAttributes } : {},
    position: event.position,
  };
}

async function userTarget(
  event: RecordedEvent & UserEvent,
  manager: EntityManager,
): Promise<{ id: string; externalId: string | null; userName: string | null }> {
  if (event.type === 'ACCOUNT_SCIM_USER_CREATED') {
    return { id: event.data.userId, externalId: event.data.externalId, userName: event.data.userName };
  }
  // Other events name only the user id; the member row (if already projected) adds the rest.
  const member = await manager.findOneBy(MemberRecord, { id: event.data.userId });
  return { id: event.data.userId, externalId: member?.externalId ?? null, userName: member?.userName ?? null };
}
