import { randomUUID } from 'node:crypto';
import type { Position } from '@axis/event-store';
import {
  GROUP_MEMBERSHIP_REACTOR,
  GroupMemberRecord,
  GroupRecord,
  GROUPS_PROJECTION,
  listRoleMappings,
  findMemberRoles,
  groupsOfMembers,
  SessionRecord,
} from '@axis/read-model';
import { membersProjection } from '../members/members.projection';
import { ProjectorHarness } from '../testing/projector-harness';
import { derivedUuid, groupMembershipReactor } from './group-membership.reactor';
import { groupsProjection } from './groups.projection';

describe('groups projection and group-membership reactor', () => {
  let harness: ProjectorHarness;

  beforeEach(async () => {
    harness = await ProjectorHarness.open();
    await harness.start([membersProjection, groupsProjection, groupMembershipReactor(harness.eventStore)]);
  });
  afterEach(() => harness.close());

  const provision = (userId: string) =>
    harness.append(`user-acme.${userId}`, 'ACCOUNT_SCIM_USER_CREATED', {
      userId,
      userName: `${userId}@example.com`,
      externalId: null,
      active: true,
      attributes: { userName: `${userId}@example.com` },
    });
  const createGroup = (groupId: string, displayName: string) =>
    harness.append(`group-acme.${groupId}`, 'ACCOUNT_SCIM_GROUP_CREATED', { groupId, displayName, externalId: null });
  const addMembers = (groupId: string, ...memberIds: string[]) =>
    harness.append(`group-acme.${groupId}`, 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', { groupId, memberIds });
  const removeMembers = (groupId: string, ...memberIds: string[]) =>
    harness.append(`group-acme.${groupId}`, 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', { groupId, memberIds, reason: 'scim' });
  const mapRoles = (groupId: string, roles: string[]) =>
    harness.append('rolemapping-acme.groups', 'TENANT_ROLE_MAPPING_SET', { groupId, roles, previousRoles: [] }, 'acme', 'admin:adm_1');
  const members = async (groupId: string) =>
    (await harness.readModel.manager.find(GroupMemberRecord, { where: { groupId } })).map((row) => row.memberId).sort();
  const streamTypes = async (stream: string) => (await harness.eventStore.readStream(stream)).map((event) => event.type);
  // A consumer's checkpoint moves only with events it subscribes to: wait on the ones that see `position`.
  const settled = async (position: Position, consumers = [GROUPS_PROJECTION, GROUP_MEMBERSHIP_REACTOR]) => {
    for (const consumer of consumers) await harness.caughtUp(consumer, position);
  };

  it('projects groups and membership deltas, renames and deletion', async () => {
    await provision('u1');
    await provision('u2');
    await createGroup('g1', 'Engineering');
    await addMembers('g1', 'u1', 'u2');
    await removeMembers('g1', 'u2');
    const renamed = await harness.append('group-acme.g1', 'ACCOUNT_SCIM_GROUP_RENAMED', { groupId: 'g1', displayName: 'Eng', previousDisplayName: 'Engineering' });
    await settled(renamed, [GROUPS_PROJECTION]);
    expect(await members('g1')).toEqual(['u1']);
    expect(await harness.readModel.manager.findOneByOrFail(GroupRecord, { id: 'g1' })).toMatchObject({
      displayName: 'Eng',
      displayNameLc: 'eng',
      revision: 3,
      resource: { displayName: 'Eng' },
    });
    expect((await groupsOfMembers(harness.readModel, 'acme', ['u1', 'u2'])).get('u1')).toEqual([{ id: 'g1', displayName: 'Eng' }]);
    const deleted = await harness.append('group-acme.g1', 'ACCOUNT_SCIM_GROUP_DELETED', { groupId: 'g1', displayName: 'Eng' });
    await settled(deleted);
    expect(await harness.readModel.manager.countBy(GroupRecord, { id: 'g1' })).toBe(0);
    expect(await members('g1')).toEqual([]);
  });

  it('removes a deleted member from every group, on the read model and on the groups’ streams', async () => {
    await provision('u1');
    await provision('u2');
    await createGroup('g1', 'A');
    await createGroup('g2', 'B');
    await addMembers('g1', 'u1', 'u2');
    await addMembers('g2', 'u1');
    const deleted = await harness.append('user-acme.u1', 'ACCOUNT_SCIM_USER_DELETED', { userId: 'u1' });
    await settled(deleted);
    expect(await members('g1')).toEqual(['u2']);
    expect(await members('g2')).toEqual([]);
    for (const group of ['g1', 'g2']) {
      const events = await harness.eventStore.readStream(`group-acme.${group}`);
      expect(events.at(-1)).toMatchObject({
        type: 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
        data: { memberIds: ['u1'], reason: 'member-deleted' },
        metadata: { actor: 'system:member-cleanup', causationId: expect.any(String), dialect: 'system' },
      });
    }
  });

  it('undoes an addition of a member that lands after its deletion', async () => {
    await provision('u1');
    await createGroup('g1', 'A');
    await harness.append('user-acme.u1', 'ACCOUNT_SCIM_USER_DELETED', { userId: 'u1' });
    const late = await addMembers('g1', 'u1');
    await settled(late);
    await harness.caughtUp(GROUPS_PROJECTION, (await harness.eventStore.headPosition())!);
    expect(await streamTypes('group-acme.g1')).toEqual([
      'ACCOUNT_SCIM_GROUP_CREATED',
      'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED',
      'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
    ]);
    expect(await members('g1')).toEqual([]);
  });

  it('derives effective roles, announces each change on the member’s stream once, and revokes sessions when admin is lost', async () => {
    await provision('u1');
    await provision('u2');
    await createGroup('admins', 'Admins');
    await createGroup('staff', 'Staff');
    await addMembers('admins', 'u1');
    await addMembers('staff', 'u1', 'u2');
    await mapRoles('staff', ['member']);
    const mapped = await mapRoles('admins', ['admin']);
    await settled(mapped, [GROUP_MEMBERSHIP_REACTOR]);
    expect(await findMemberRoles(harness.readModel, 'acme', 'u1')).toMatchObject({ roles: ['admin', 'member'] });
    expect(await findMemberRoles(harness.readModel, 'acme', 'u2')).toMatchObject({ roles: ['member'] });
    expect((await listRoleMappings(harness.readModel, 'acme')).map((mapping) => [mapping.displayName, mapping.roles, mapping.updatedBy])).toEqual([
      ['Admins', ['admin'], 'admin:adm_1'],
      ['Staff', ['member'], 'admin:adm_1'],
    ]);
    const u1Events = await harness.eventStore.readStream('user-acme.u1');
    expect(u1Events.slice(1).map((event) => event.data)).toEqual([
      expect.objectContaining({ changedAttributes: ['roles'], changes: {}, roles: ['member'], previousRoles: [], causedBy: 'TENANT_ROLE_MAPPING_SET' }),
      expect.objectContaining({ roles: ['admin', 'member'], previousRoles: ['member'], addedRoles: ['admin'], removedRoles: [] }),
    ]);
    expect(u1Events[1]!.eventId).toBe(derivedUuid(`${(await harness.eventStore.readStream('rolemapping-acme.groups'))[0]!.eventId}:u1:roles`));

    const session = randomUUID();
    await harness.readModel.manager.insert(SessionRecord, {
      id: session,
      workspaceId: 'acme',
      memberId: 'u1',
      tokenSha256: randomUUID(),
      prefix: 'ses_1',
      createdAt: new Date().toISOString(),
      revokedAt: null,
      revokedReason: null,
    });
    const removed = await removeMembers('admins', 'u1');
    await settled(removed);
    expect(await findMemberRoles(harness.readModel, 'acme', 'u1')).toMatchObject({ roles: ['member'] });
    expect((await harness.eventStore.readStream('user-acme.u1')).at(-1)!.data).toMatchObject({ roles: ['member'], removedRoles: ['admin'] });
    expect(await harness.readModel.manager.findOneByOrFail(SessionRecord, { id: session })).toMatchObject({ revokedReason: 'ROLE_REVOKED' });

    // Unmapping and deleting a group take the roles away too; a member without roles has no row.
    await mapRoles('staff', []);
    const gone = await harness.append('group-acme.admins', 'ACCOUNT_SCIM_GROUP_DELETED', { groupId: 'admins', displayName: 'Admins' });
    await settled(gone, [GROUP_MEMBERSHIP_REACTOR]);
    expect(await findMemberRoles(harness.readModel, 'acme', 'u2')).toEqual({ memberId: 'u2', roles: [], updatedAt: null });
    expect(await listRoleMappings(harness.readModel, 'acme')).toEqual([]);
  });
});
