import { type EventMetadata, isUserEvent, parseStreamName, STREAM_CATEGORY, type UserEvent } from '@axis/domain';
import type { EventStore, RecordedEvent } from '@axis/event-store';
import { BACKGROUND_READ_INTERVAL_MS, type ConsumerDefinition } from '@axis/platform';
import { AuditEntryRecord, insertRows, MemberRecord } from '@axis/read-model';
import type { EntityManager } from 'typeorm';
import { BOOKKEEPING_STREAM_CATEGORIES, excludingCategories, isAuditedEvent } from '../outbound-events';

export const AUDIT_REACTOR = 'audit';

/** Data fields never copied into an audit entry: secrets, and attribute payloads (PII). */
const NEVER_COPIED = new Set(['secret', 'token', 'tokenHash', 'hash', 'keyHash', 'password', 'attributes', 'changes']);
/** Data fields that name the target rather than describe the change. */
const TARGET_ID_FIELDS = ['userId', 'groupId', 'tokenId', 'keyId', 'webhookId', 'sessionId'];

/**
 * Writes the Security Console audit log: one entry per event, keyed by the event id. Targets are
 * resolved from the event store (the user's stream up to the event), never from the member read
 * model, so an entry does not depend on how far the projector has got.
 */
export function auditReactor(eventStore: EventStore): ConsumerDefinition {
  return {
    name: AUDIT_REACTOR,
    kind: 'reactor',
    // Every category (domain events and recorded rejections, categories added later too) but bookkeeping.
    filter: excludingCategories(BOOKKEEPING_STREAM_CATEGORIES),
    batchSize: 500,
    minReadIntervalMs: BACKGROUND_READ_INTERVAL_MS,
    async handle(events, manager) {
      const entries: AuditEntryRecord[] = [];
      const targets: TargetsSoFar = new Map();
      for (const event of events) if (isAuditedEvent(event)) entries.push(await auditEntryOf(event, manager, eventStore, targets));
      // A redelivered event keeps the entry written first.
      await insertRows(manager, AuditEntryRecord, entries, { onConflict: 'ignore' });
    },
  };
}

export async function auditEntryOf(
  event: RecordedEvent,
  manager: EntityManager,
  eventStore: EventStore,
  targets: TargetsSoFar = new Map(),
): Promise<AuditEntryRecord> {
  const metadata = event.metadata as Partial<EventMetadata> & { requestId?: string };
  const stream = parseStreamName(event.streamName);
  const target = isUserEvent(event) ? await userTarget(event as RecordedEvent & UserEvent, manager, eventStore, targets) : genericTarget(event);
  return {
    id: event.eventId,
    workspaceId: metadata.workspaceId ?? stream?.workspaceId ?? 'unknown',
    code: event.type,
    occurredAt: metadata.occurredAt ?? event.recordedAt.toISOString(),
    actor: metadata.actor ?? 'unknown',
    targetId: target.id,
    targetExternalId: target.externalId,
    targetUserName: target.userName,
    dialect: metadata.dialect ?? 'rfc',
    requestId: metadata.requestId ?? metadata.correlationId ?? null,
    details: detailsOf(event),
    position: event.position,
  };
}

interface Target {
  id: string | null;
  externalId: string | null;
  userName: string | null;
}

function detailsOf(event: RecordedEvent): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const changed = event.data['changedAttributes'];
  if (Array.isArray(changed)) details['changedAttributes'] = changed;
  for (const [key, value] of Object.entries(event.data)) {
    if (NEVER_COPIED.has(key) || TARGET_ID_FIELDS.includes(key) || key === 'changedAttributes') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) details[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string') && value.length <= 50) details[key] = value;
  }
  const stream = parseStreamName(event.streamName);
  if (stream) details['stream'] = stream.category;
  details['revision'] = event.revision;
  return details;
}

function stringField(data: Record<string, unknown>, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' ? value : null;
}

function genericTarget(event: RecordedEvent): Target {
  const id = TARGET_ID_FIELDS.map((key) => stringField(event.data, key)).find((value) => value !== null) ?? null;
  const stream = parseStreamName(event.streamName);
  return {
    // A rejection's stream is the workspace's whole log (`rejection-<ws>.log`): its id names no target.
    id: id ?? (stream && stream.category !== STREAM_CATEGORY.rejection ? stream.id : null),
    externalId: stringField(event.data, 'externalId'),
    userName: stringField(event.data, 'userName') ?? stringField(event.data, 'displayName'),
  };
}

/** What a user's stream says of the user as of a revision: the names an audit entry shows. */
interface StreamTarget {
  revision: number;
  userName: string | null;
  externalId: string | null;
}

/**
 * The user streams' targets as the entries of a batch found them: the next event of a stream folds
 * onto its predecessor's instead of reading the stream again (an IdP's create and its follow-up
 * PATCH usually share a batch).
 */
type TargetsSoFar = Map<string, StreamTarget>;

const NO_TARGET: StreamTarget = { revision: -1, userName: null, externalId: null };

function foldTarget(target: StreamTarget, event: RecordedEvent): StreamTarget {
  if (event.type === 'ACCOUNT_SCIM_USER_CREATED') {
    return { revision: event.revision, userName: stringField(event.data, 'userName'), externalId: stringField(event.data, 'externalId') };
  }
  if (event.type === 'ACCOUNT_SCIM_USER_UPDATED') {
    const changes = (event.data['changes'] ?? {}) as Record<string, unknown>;
    return {
      revision: event.revision,
      userName: 'userName' in changes ? stringField(changes, 'userName') : target.userName,
      externalId: 'externalId' in changes ? stringField(changes, 'externalId') : target.externalId,
    };
  }
  return { ...target, revision: event.revision };
}

async function userTarget(event: RecordedEvent & UserEvent, manager: EntityManager, eventStore: EventStore, targets: TargetsSoFar): Promise<Target> {
  // Events after the creation name only the user id: fold the user's stream up to this event.
  const previous = targets.get(event.streamName);
  const folded =
    event.type === 'ACCOUNT_SCIM_USER_CREATED' || previous?.revision === event.revision - 1
      ? foldTarget(previous ?? NO_TARGET, event)
      : (await eventStore.readStream(event.streamName, { maxCount: event.revision + 1 })).reduce(foldTarget, NO_TARGET);
  targets.set(event.streamName, folded);
  if (folded.userName === null) {
    // A user created before event sourcing (a merged local account): the member row may know it.
    const member = await manager.findOneBy(MemberRecord, { id: event.data.userId });
    return { id: event.data.userId, externalId: folded.externalId ?? member?.externalId ?? null, userName: member?.userName ?? null };
  }
  return { id: event.data.userId, externalId: folded.externalId, userName: folded.userName };
}
