import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStore, type RecordedEvent } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { auditEntryOf, auditReactor } from './audit.reactor';

const WORKSPACE = 'ws-audit';
const metadata = { workspaceId: WORKSPACE, actor: 'token:abc', occurredAt: '2026-01-01T00:00:00.000Z' };

describe('audit reactor: the target of a user event', () => {
  let eventStore: EventStore;
  let readModel: DataSource;

  beforeEach(async () => {
    eventStore = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
  });

  afterEach(async () => {
    await eventStore.close();
    await readModel.destroy();
  });

  /** A user's history: created, renamed, given a new externalId, deactivated. */
  async function userHistory(): Promise<RecordedEvent[]> {
    const userId = randomUUID();
    const stream = `user-${WORKSPACE}.${userId}`;
    await eventStore.appendToStream(stream, [
      { eventId: randomUUID(), type: 'ACCOUNT_SCIM_USER_CREATED', data: { userId, userName: 'ada@example.com', externalId: 'ext-1', attributes: {}, active: true }, metadata },
      { eventId: randomUUID(), type: 'ACCOUNT_SCIM_USER_UPDATED', data: { userId, changes: { userName: 'ada.l@example.com' }, changedAttributes: ['userName'] }, metadata },
      { eventId: randomUUID(), type: 'ACCOUNT_SCIM_USER_UPDATED', data: { userId, changes: { externalId: 'ext-2' }, changedAttributes: ['externalId'] }, metadata },
      { eventId: randomUUID(), type: 'ACCOUNT_SCIM_USER_DEACTIVATED', data: { userId }, metadata },
    ]);
    return eventStore.readStream(stream);
  }

  const targetsOf = (entries: Array<{ targetUserName: string | null; targetExternalId: string | null }>) =>
    entries.map(({ targetUserName, targetExternalId }) => [targetUserName, targetExternalId]);

  const EXPECTED = [
    ['ada@example.com', 'ext-1'],
    ['ada.l@example.com', 'ext-1'],
    ['ada.l@example.com', 'ext-2'],
    ['ada.l@example.com', 'ext-2'],
  ];

  it('names each event’s user as of that event, without reading the stream when the batch holds its history', async () => {
    const events = await userHistory();
    const reads = jest.spyOn(eventStore, 'readStream');

    await readModel.transaction((manager) => auditReactor(eventStore).handle(events, manager));
    const batched = await readModel.query(`SELECT target_user_name AS "targetUserName", target_external_id AS "targetExternalId" FROM audit_entries ORDER BY position`);

    expect(targetsOf(batched)).toEqual(EXPECTED);
    expect(reads).not.toHaveBeenCalled();
  });

  it('reads a user’s stream once when a batch starts in the middle of its history, folding up to the event', async () => {
    const events = await userHistory();
    const reads = jest.spyOn(eventStore, 'readStream');

    await readModel.transaction((manager) => auditReactor(eventStore).handle(events.slice(2), manager));
    const entries = await readModel.query(`SELECT target_user_name AS "targetUserName", target_external_id AS "targetExternalId" FROM audit_entries ORDER BY position`);
    const alone = await readModel.transaction((manager) => auditEntryOf(events[1]!, manager, eventStore));

    expect(targetsOf(entries)).toEqual(EXPECTED.slice(2));
    expect(targetsOf([alone])).toEqual([EXPECTED[1]]);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('gives a refused request no target, and an ignored-attributes record its user', async () => {
    const stream = `rejection-${WORKSPACE}.log`;
    const rejected = { workspaceId: WORKSPACE, method: 'POST', path: '/scim/v2/Users', tokenPrefix: 'scim_abc', sourceIp: null, suppressed: 0 };
    await eventStore.appendToStream(stream, [
      { eventId: randomUUID(), type: 'SCIM_USER_CONFLICT', data: { ...rejected, status: 409, scimType: 'uniqueness', detail: 'taken' }, metadata },
      { eventId: randomUUID(), type: 'SCIM_ATTRIBUTES_IGNORED', data: { ...rejected, userId: 'user-1', ignoredAttributes: ['nickName'] }, metadata },
    ]);
    const [conflict, ignored] = await eventStore.readStream(stream);
    const entries = await readModel.transaction(async (manager) => [await auditEntryOf(conflict!, manager, eventStore), await auditEntryOf(ignored!, manager, eventStore)]);
    expect(entries.map(({ targetId }) => targetId)).toEqual([null, 'user-1']);
  });
});

describe('audit reactor: the target of other events', () => {
  let eventStore: EventStore;
  let readModel: DataSource;

  beforeEach(async () => {
    eventStore = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
  });

  afterEach(async () => {
    await eventStore.close();
    await readModel.destroy();
  });

  async function entryOf(stream: string, type: string, data: Record<string, unknown>) {
    await eventStore.appendToStream(stream, [{ eventId: randomUUID(), type, data, metadata }]);
    const event = (await eventStore.readStream(stream)).at(-1)!;
    return readModel.transaction((manager) => auditEntryOf(event, manager, eventStore));
  }

  it('names no target from the name of a workspace or rejection stream', async () => {
    const rejected = await entryOf(`rejection-${WORKSPACE}.log`, 'SCIM_UNAUTHORIZED', { reason: 'revoked token' });
    expect([rejected.targetId, rejected.targetUserName]).toEqual([null, null]);
    const refusedCreate = await entryOf(`rejection-${WORKSPACE}.log`, 'SCIM_USER_CONFLICT', { userName: 'grace@example.com' });
    expect([refusedCreate.targetId, refusedCreate.targetUserName]).toEqual([null, 'grace@example.com']);
    const settings = await entryOf(`workspace-${WORKSPACE}.settings`, 'TENANT_WORKSPACE_CREATED', { slug: 'acme' });
    expect(settings.targetId).toBeNull();
  });

  it('names a group by its stream', async () => {
    const group = await entryOf(`group-${WORKSPACE}.g-1`, 'ACCOUNT_SCIM_GROUP_CREATED', { displayName: 'Pilot' });
    expect([group.targetId, group.targetUserName]).toEqual(['g-1', 'Pilot']);
  });
});
