/**
 * Large user histories written straight into an event store (far faster than over SCIM), and a
 * deterministic digest of read-model tables to compare two builds of a projection.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EventData, EventStore } from '@axis/event-store';
import type { Deployment } from './deployments';
import { readModelRows } from './workspace-admin';

export interface SeededHistory {
  users: string[];
  events: number;
}

/**
 * `users` users in `workspaceId`, each created then updated `updatesPerUser` times (one append per
 * user); every fifth user is deactivated. Events look exactly like the gateway's.
 */
export async function seedUserHistory(
  store: EventStore,
  options: { users: number; updatesPerUser: number; workspaceId?: string; prefix?: string },
): Promise<SeededHistory> {
  const workspaceId = options.workspaceId ?? 'default';
  const prefix = options.prefix ?? 'seed';
  const users: string[] = [];
  let events = 0;
  const occurredAt = '2026-01-01T00:00:00.000Z';
  const metadata = (eventId: string) => ({ eventId, workspaceId, actor: 'token:seed', correlationId: eventId, causationId: eventId, occurredAt, dialect: 'rfc', schemaVersion: 1 });
  const event = (type: string, data: Record<string, unknown>): EventData => {
    const eventId = randomUUID();
    return { eventId, type, data, metadata: metadata(eventId) };
  };
  for (let n = 0; n < options.users; n++) {
    const userId = randomUUID();
    const userName = `${prefix}-${n}@example.com`;
    const attributes = { userName, name: { givenName: 'Seed', familyName: `N${n}` }, emails: [{ value: userName, type: 'work', primary: true }], active: true };
    const batch: EventData[] = [event('ACCOUNT_SCIM_USER_CREATED', { userId, userName, externalId: `ext-${prefix}-${n}`, active: true, attributes })];
    for (let u = 1; u <= options.updatesPerUser; u++) {
      const changes = u % 3 === 0 ? { emails: [{ value: `${prefix}-${n}-${u}@example.com`, type: 'work', primary: true }] } : { displayName: `Seed ${n} v${u}` };
      batch.push(event('ACCOUNT_SCIM_USER_UPDATED', { userId, changedAttributes: Object.keys(changes), changes }));
    }
    if (n % 5 === 4) batch.push(event('ACCOUNT_SCIM_USER_DEACTIVATED', { userId }));
    await store.appendToStream(`user-${workspaceId}.${userId}`, batch, { expectedRevision: 'no_stream' });
    users.push(userId);
    events += batch.length;
  }
  return { users, events };
}

/**
 * `groups` groups in `workspaceId` over the given members, one append per group: created, members
 * added in deltas of `membersPerDelta`, renamed, externalId changed, some members removed; every
 * tenth group deleted. Every group event type, as the gateway writes them. Returns the live groups.
 */
export async function seedGroupHistory(
  store: EventStore,
  options: { groups: number; memberIds: readonly string[]; deltas: number; membersPerDelta: number; workspaceId?: string; prefix?: string },
): Promise<{ groups: string[]; events: number }> {
  const workspaceId = options.workspaceId ?? 'default';
  const prefix = options.prefix ?? 'group';
  const live: string[] = [];
  let events = 0;
  const occurredAt = '2026-01-01T00:00:00.000Z';
  const event = (type: string, data: Record<string, unknown>): EventData => {
    const eventId = randomUUID();
    return {
      eventId,
      type,
      data,
      metadata: { eventId, workspaceId, actor: 'token:seed', correlationId: eventId, causationId: eventId, occurredAt, dialect: 'rfc', schemaVersion: 1 },
    };
  };
  const members = options.memberIds;
  for (let n = 0; n < options.groups; n++) {
    const groupId = randomUUID();
    const displayName = `${prefix} ${n}`;
    const batch: EventData[] = [event('ACCOUNT_SCIM_GROUP_CREATED', { groupId, displayName, externalId: `ext-${prefix}-${n}` })];
    const added: string[] = [];
    for (let d = 0; d < options.deltas; d++) {
      const memberIds = Array.from({ length: options.membersPerDelta }, (_, i) => members[(n * 7 + d * options.membersPerDelta + i) % members.length]!).filter(
        (id) => !added.includes(id),
      );
      if (memberIds.length === 0) continue;
      added.push(...memberIds);
      batch.push(event('ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', { groupId, memberIds }));
    }
    batch.push(event('ACCOUNT_SCIM_GROUP_RENAMED', { groupId, displayName: `${displayName} renamed`, previousDisplayName: displayName }));
    batch.push(event('ACCOUNT_SCIM_GROUP_UPDATED', { groupId, changedAttributes: ['externalId'], changes: { externalId: n % 2 === 0 ? null : `ext2-${prefix}-${n}` } }));
    if (added.length > 1) batch.push(event('ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', { groupId, memberIds: added.slice(0, 1), reason: 'scim' }));
    if (n % 10 === 9) batch.push(event('ACCOUNT_SCIM_GROUP_DELETED', { groupId, displayName: `${displayName} renamed` }));
    else live.push(groupId);
    await store.appendToStream(`group-${workspaceId}.${groupId}`, batch, { expectedRevision: 'no_stream' });
    events += batch.length;
  }
  return { groups: live, events };
}

/** SHA-256 over every row of the tables, sorted by their JSON form (so row order does not matter). */
export async function readModelDigest(deployment: Pick<Deployment, 'env'>, tables: string[]): Promise<{ digest: string; rows: number }> {
  const hash = createHash('sha256');
  let rows = 0;
  for (const table of tables) {
    const lines = (await readModelRows(deployment, table)).map((row) => stableJson(row)).sort();
    rows += lines.length;
    hash.update(`${table}\n${lines.join('\n')}\n`);
  }
  return { digest: hash.digest('hex'), rows };
}

function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
