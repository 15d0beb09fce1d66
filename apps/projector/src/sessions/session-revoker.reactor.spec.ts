import { randomUUID } from 'node:crypto';
import { MEMBERS_PROJECTION, MemberEmailRecord, MemberRecord, SESSION_REVOKER, SessionRecord } from '@axis/read-model';
import { membersProjection } from '../members/members.projection';
import { ProjectorHarness } from '../testing/projector-harness';
import { sessionRevoker } from './session-revoker.reactor';

describe('session revoker', () => {
  let harness: ProjectorHarness;

  beforeEach(async () => {
    harness = await ProjectorHarness.open();
    await harness.start([membersProjection, sessionRevoker]);
  });
  afterEach(() => harness.close());

  async function provision(userId: string) {
    return harness.append(`user-acme.${userId}`, 'ACCOUNT_SCIM_USER_CREATED', {
      userId,
      userName: `${userId}@example.com`,
      externalId: null,
      active: true,
      attributes: { userName: `${userId}@example.com` },
    });
  }

  async function openSession(memberId: string): Promise<string> {
    const id = randomUUID();
    await harness.readModel.manager.insert(SessionRecord, {
      id,
      workspaceId: 'acme',
      memberId,
      tokenSha256: randomUUID(),
      prefix: 'ses_AbCd1234',
      createdAt: new Date().toISOString(),
      revokedAt: null,
      revokedReason: null,
    });
    return id;
  }

  async function liveSessions(memberId: string): Promise<string[]> {
    const rows = await harness.readModel.manager.find(SessionRecord, { where: { memberId } });
    return rows.filter((row) => row.revokedAt === null).map((row) => row.id);
  }

  it("revokes every live session of a deactivated member, and only that member's", async () => {
    await provision('u1');
    await provision('u2');
    const [a, b] = [await openSession('u1'), await openSession('u1')];
    const other = await openSession('u2');
    const position = await harness.append('user-acme.u1', 'ACCOUNT_SCIM_USER_DEACTIVATED', { userId: 'u1' });
    await harness.caughtUp(SESSION_REVOKER, position);
    expect(await liveSessions('u1')).toEqual([]);
    expect(await liveSessions('u2')).toEqual([other]);
    const revoked = await harness.readModel.manager.findOneByOrFail(SessionRecord, { id: a });
    expect(revoked.revokedReason).toBe('ACCOUNT_SCIM_USER_DEACTIVATED');
    expect((await harness.readModel.manager.findOneByOrFail(SessionRecord, { id: b })).revokedAt).not.toBeNull();
  });

  it('revokes on deletion too, and ignores reactivation and updates', async () => {
    await provision('u1');
    const session = await openSession('u1');
    let position = await harness.append('user-acme.u1', 'ACCOUNT_SCIM_USER_UPDATED', { userId: 'u1', changedAttributes: ['title'], changes: { title: 'x' } });
    await harness.caughtUp(MEMBERS_PROJECTION, position);
    expect(await liveSessions('u1')).toEqual([session]);
    position = await harness.append('user-acme.u1', 'ACCOUNT_SCIM_USER_DELETED', { userId: 'u1' });
    await harness.caughtUp(SESSION_REVOKER, position);
    expect(await liveSessions('u1')).toEqual([]);
    const revoked = await harness.readModel.manager.findOneByOrFail(SessionRecord, { id: session });
    expect(revoked.revokedReason).toBe('ACCOUNT_SCIM_USER_DELETED');
  });

  it('is not re-run by a replay of the member projection', async () => {
    await provision('u1');
    await openSession('u1');
    const deactivated = await harness.append('user-acme.u1', 'ACCOUNT_SCIM_USER_DEACTIVATED', { userId: 'u1' });
    const reactivated = await harness.append('user-acme.u1', 'ACCOUNT_SCIM_USER_REACTIVATED', { userId: 'u1' });
    await harness.caughtUp(MEMBERS_PROJECTION, reactivated);
    await harness.caughtUp(SESSION_REVOKER, deactivated);
    expect(await liveSessions('u1')).toEqual([]);
    // Signed in again after the reactivation.
    const afterReactivation = await openSession('u1');

    // An SRE rebuilds the member projection from history.
    await harness.stop();
    await harness.readModel.manager.clear(MemberEmailRecord);
    await harness.readModel.manager.clear(MemberRecord);
    await harness.readModel.query(`DELETE FROM projection_checkpoints WHERE subscriber_id = ?`, [MEMBERS_PROJECTION]);
    await harness.start([membersProjection, sessionRevoker]);
    await harness.caughtUp(MEMBERS_PROJECTION, reactivated);

    expect((await harness.readModel.manager.findOneByOrFail(MemberRecord, { id: 'u1' })).active).toBe(true);
    expect(await liveSessions('u1')).toEqual([afterReactivation]);
  });
});
