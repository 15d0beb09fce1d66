import { NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { userStreamName } from '@axis/domain';
import { createEventStore, type EventStore } from '@axis/event-store';
import { insertRows, MemberRecord, openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { MemberHistoryRoute } from './member-history.route';

const WS = 'ws';
const admin = { workspaceId: WS, keyId: 'k', actor: 'admin:adm_k', name: 'Jane Admin' };

describe('member history paging', () => {
  let eventStore: EventStore;
  let readModel: DataSource;
  let route: MemberHistoryRoute;

  beforeEach(async () => {
    eventStore = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    route = new MemberHistoryRoute(eventStore, readModel);
    // given five events of m1: a create and four updates
    await eventStore.appendToStream(
      userStreamName(WS, 'm1'),
      [0, 1, 2, 3, 4].map((revision) => ({
        eventId: randomUUID(),
        type: revision === 0 ? 'ACCOUNT_SCIM_USER_CREATED' : 'ACCOUNT_SCIM_USER_UPDATED',
        data: revision === 0 ? { userId: 'm1', userName: 'ada', attributes: { userName: 'ada' } } : { userId: 'm1', changedAttributes: ['title'], changes: { title: `t${revision}` } },
        metadata: { actor: 'token:scim_a', dialect: 'okta', occurredAt: new Date(Date.UTC(2026, 0, 1, 0, revision)).toISOString(), correlationId: `req-${revision}` },
      })),
    );
  });

  afterEach(async () => {
    await eventStore.close();
    await readModel.destroy();
  });

  /** The member row as the projector left it, `revision` being the last event it applied. */
  const projectedAt = (revision: number) =>
    insertRows(readModel, MemberRecord, [
      Object.assign(new MemberRecord(), {
        id: 'm1', workspaceId: WS, userName: 'ada', userNameLc: 'ada', externalId: null, displayName: null, givenName: null, familyName: null,
        primaryEmail: null, active: true, source: 'scim', resource: {}, revision, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
      }),
    ]);

  const revisionsOf = (page: { items: Array<{ changes: Record<string, unknown> | null; type: string }> }) =>
    page.items.map((item) => (item.type === 'ACCOUNT_SCIM_USER_CREATED' ? 0 : Number(String(item.changes?.['title']).slice(1))));

  it('pages newest first down to the create, events the projector has not reached included', async () => {
    // when the projector is two events behind
    await projectedAt(2);
    const first = await route.history(admin, 'm1', { limit: 2 });
    const second = await route.history(admin, 'm1', { limit: 2, before: first.nextCursor! });
    const last = await route.history(admin, 'm1', { limit: 2, before: second.nextCursor! });
    // then
    expect([revisionsOf(first), first.nextCursor]).toEqual([[4, 3], '3']);
    expect([revisionsOf(second), second.nextCursor]).toEqual([[2, 1], '1']);
    expect([revisionsOf(last), last.nextCursor]).toEqual([[0], null]);
    expect(first.items[0]).toMatchObject({ actor: 'token:scim_a', actorName: null, dialect: 'okta', requestId: 'req-4', summary: 'title changed by the IdP (Okta)', changes: { title: 't4' } });
  });

  it('reads the whole stream of a member without a row (deleted), and answers 404 for no stream', async () => {
    const page = await route.history(admin, 'm1', { limit: 50 });
    expect([revisionsOf(page), page.nextCursor]).toEqual([[4, 3, 2, 1, 0], null]);
    await expect(route.history(admin, 'nobody', {})).rejects.toBeInstanceOf(NotFoundException);
    await expect(route.history({ ...admin, workspaceId: 'other' }, 'm1', {})).rejects.toBeInstanceOf(NotFoundException);
  });
});
