import { createDefaultSchemaRegistry, isScimError, ScimError, normalizePatchRequest } from '@axis/scim';
import {
  ENTRA_2020_REMOVE_MEMBER,
  ENTRA_ADD_MEMBERS,
  ENTRA_LEGACY_REMOVE_MEMBERS,
  ENTRA_REPLACE_GROUP_NAME,
  JUMPCLOUD_REMOVE_MEMBERS,
  OKTA_GROUP_FULL_PUSH,
  OKTA_GROUP_MEMBERSHIP,
  OKTA_GROUP_RENAME,
} from '@axis/scim/testing';
import { deciderSpecification } from '../testing/decider-specification';
import { addedMemberIdsOf, type CreateGroup, decideGroup, evolveGroup, type GroupState, GroupRuleViolation, initialGroupState, type PatchGroup, groupDecider } from './group.decider';
import type { GroupEvent } from './group.events';
import { assertWithinGroupLimits, GROUP_LIMITS, memberIdsOf } from './group-members';
import { MemberSet } from './member-set';

const schema = createDefaultSchemaRegistry().forResourceType('Group');
const decider = groupDecider;
const spec = deciderSpecification(decider);
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const create: CreateGroup = { type: 'CreateGroup', groupId: 'g1', displayName: 'Engineering', externalId: null, memberIds: [] };
const created: GroupEvent = { type: 'ACCOUNT_SCIM_GROUP_CREATED', data: { groupId: 'g1', displayName: 'Engineering', externalId: null } };
const added = (...memberIds: string[]): GroupEvent => ({ type: 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', data: { groupId: 'g1', memberIds } });
const removed = (...memberIds: string[]): GroupEvent => ({
  type: 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
  data: { groupId: 'g1', memberIds, reason: 'scim' },
});
const patch = (body: unknown): PatchGroup => ({ type: 'PatchGroup', groupId: 'g1', operations: normalizePatchRequest(body), schema });
const ops = (...Operations: unknown[]) => patch({ schemas: [PATCH_OP], Operations });
const stateOf = (...events: GroupEvent[]): GroupState => events.reduce(evolveGroup, initialGroupState());
const membersOf = (state: GroupState) => (state.status === 'existing' ? [...state.members].sort() : []);

function scimErrorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (isScimError(error)) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('group decider: create and delete', () => {
  it('creates a group, then adds the members sent with it as a delta', () => {
    spec.given([]).when(create).then([created]);
    spec
      .given([])
      .when({ ...create, externalId: 'ext-1', memberIds: ['u1', 'u2', 'u1'] })
      .then([{ ...created, data: { ...created.data, externalId: 'ext-1' } } as GroupEvent, added('u1', 'u2')]);
  });

  it('refuses a second create and a blank displayName', () => {
    spec.given([created]).when(create).thenThrows(GroupRuleViolation);
    expect(scimErrorOf(() => decideGroup({ ...create, displayName: ' ' }, initialGroupState())).scimType).toBe('invalidValue');
  });

  it('deletes once; a deleted group is not found', () => {
    const deleted: GroupEvent = { type: 'ACCOUNT_SCIM_GROUP_DELETED', data: { groupId: 'g1', displayName: 'Engineering' } };
    spec.given([created]).when({ type: 'DeleteGroup', groupId: 'g1' }).then([deleted]);
    spec
      .given([created, deleted])
      .when({ type: 'DeleteGroup', groupId: 'g1' })
      .thenThrows(GroupRuleViolation, (error) => expect((error as GroupRuleViolation).rule).toBe('not-found'));
    spec.given([created, deleted]).when(ops({ op: 'add', path: 'members', value: [{ value: 'u1' }] })).thenThrows(GroupRuleViolation);
  });
});

describe('group decider: membership PATCH forms IdPs send', () => {
  it('Entra: Add members with many values; adding members already there appends nothing', () => {
    spec.given([created]).when(patch(ENTRA_ADD_MEMBERS)).then([added('f648f8d5ea4e4cd38e9c', '9c26ba1c4a7e4e2c8d11')]);
    spec.given([created, added('f648f8d5ea4e4cd38e9c', '9c26ba1c4a7e4e2c8d11')]).when(patch(ENTRA_ADD_MEMBERS)).thenNothingHappens();
    spec.given([created, added('f648f8d5ea4e4cd38e9c')]).when(patch(ENTRA_ADD_MEMBERS)).then([added('9c26ba1c4a7e4e2c8d11')]);
  });

  it('Entra default mode: Remove members with a value list removes those members only, never all', () => {
    spec
      .given([created, added('f648f8d5ea4e4cd38e9c', '9c26ba1c4a7e4e2c8d11')])
      .when(patch(ENTRA_LEGACY_REMOVE_MEMBERS))
      .then([removed('f648f8d5ea4e4cd38e9c')]);
    spec.given([created, added('9c26ba1c4a7e4e2c8d11')]).when(patch(JUMPCLOUD_REMOVE_MEMBERS)).then([removed('9c26ba1c4a7e4e2c8d11')]);
    spec.given([created, added('u1')]).when(ops({ op: 'Remove', path: 'members', value: [] })).thenNothingHappens();
  });

  it('aadOptscim062020 and Okta: remove members[value eq "id"] without a value; removing a non-member is a no-op', () => {
    spec.given([created, added('f648f8d5ea4e4cd38e9c', 'u2')]).when(patch(ENTRA_2020_REMOVE_MEMBER)).then([removed('f648f8d5ea4e4cd38e9c')]);
    spec.given([created, added('u2')]).when(patch(ENTRA_2020_REMOVE_MEMBER)).thenNothingHappens();
    spec
      .given([created, added('a', 'b', 'c')])
      .when(ops({ op: 'remove', path: 'members[value eq "a" or value eq "c"]' }))
      .then([removed('a', 'c')]);
    // A filter that is not a plain id lookup is evaluated on each member.
    spec.given([created, added('a', 'b')]).when(ops({ op: 'remove', path: 'members[value sw "a"]' })).then([removed('a')]);
  });

  it('Okta: one PATCH removing one member and adding another', () => {
    spec
      .given([created, added('f648f8d5ea4e4cd38e9c')])
      .when(patch(OKTA_GROUP_MEMBERSHIP))
      .then([removed('f648f8d5ea4e4cd38e9c'), added('23a35c27-23d3-4c03-b4c5-6443c09e7173')]);
  });

  it('Okta full push: replace members is the whole set, stale members really removed', () => {
    spec
      .given([created, added('stale-1', '23a35c27-23d3-4c03-b4c5-6443c09e7173', 'stale-2')])
      .when(patch(OKTA_GROUP_FULL_PUSH))
      .then([removed('stale-1', 'stale-2')]);
    spec.given([created, added('a', 'b')]).when(ops({ op: 'replace', path: 'members', value: [] })).then([removed('a', 'b')]);
    spec.given([created, added('a', 'b')]).when(ops({ op: 'remove', path: 'members' })).then([removed('a', 'b')]);
  });

  it('nets out operations inside one PATCH', () => {
    spec
      .given([created, added('a')])
      .when(ops({ op: 'remove', path: 'members[value eq "a"]' }, { op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }))
      .then([added('b')]);
    spec
      .given([created])
      .when(ops({ op: 'add', path: 'members', value: [{ value: 'x' }] }, { op: 'remove', path: 'members[value eq "x"]' }))
      .thenNothingHappens();
  });

  it('accepts members inside a pathless value; a display sent with a member is dropped, a PATCH of members.display is 400 mutability (published readOnly)', () => {
    spec.given([created]).when(ops({ op: 'add', value: { members: [{ value: 'u1', display: 'Ada' }] } })).then([added('u1')]);
    for (const path of ['members[value eq "u1"].display', 'members.display']) {
      const error = scimErrorOf(() => decideGroup(ops({ op: 'replace', path, value: 'Ada' }), stateOf(created, added('u1'))));
      expect(error).toMatchObject({ status: 400, scimType: 'mutability' });
    }
  });

  it('rejects nested groups and malformed members with invalidValue', () => {
    const nested = ops({ op: 'add', path: 'members', value: [{ value: 'g2', type: 'Group' }] });
    expect(scimErrorOf(() => decideGroup(nested, stateOf(created))).scimType).toBe('invalidValue');
    const byRef = ops({ op: 'add', path: 'members', value: [{ value: 'g2', $ref: 'https://x/scim/v2/Groups/g2' }] });
    expect(scimErrorOf(() => decideGroup(byRef, stateOf(created))).detail).toMatch(/nested groups/);
    expect(scimErrorOf(() => decideGroup(ops({ op: 'add', path: 'members', value: [{ display: 'x' }] }), stateOf(created))).scimType).toBe(
      'invalidValue',
    );
    expect(scimErrorOf(() => decideGroup(ops({ op: 'replace', path: 'members[value eq "a"]', value: {} }), stateOf(created))).scimType).toBe(
      'invalidPath',
    );
  });
});

describe('group decider: renames', () => {
  it('Okta rename: pathless replace {id, displayName}; repeated unchanged it is a no-op', () => {
    const rename = patch(JSON.parse(JSON.stringify(OKTA_GROUP_RENAME).replace('GROUP_ID', 'g1')));
    const renamed: GroupEvent = {
      type: 'ACCOUNT_SCIM_GROUP_RENAMED',
      data: { groupId: 'g1', displayName: 'Test SCIMv2 renamed', previousDisplayName: 'Engineering' },
    };
    spec.given([created]).when(rename).then([renamed]);
    spec.given([created, renamed]).when(rename).thenNothingHappens();
    // Another id in the echo is not an echo.
    expect(scimErrorOf(() => decideGroup(patch(OKTA_GROUP_RENAME), stateOf(created))).scimType).toBe('mutability');
  });

  it('Entra: Replace displayName', () => {
    spec
      .given([created])
      .when(patch(ENTRA_REPLACE_GROUP_NAME))
      .then([
        {
          type: 'ACCOUNT_SCIM_GROUP_RENAMED',
          data: { groupId: 'g1', displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName', previousDisplayName: 'Engineering' },
        },
      ]);
  });

  it('changes externalId as UPDATED; refuses to remove displayName', () => {
    spec
      .given([created])
      .when(ops({ op: 'replace', path: 'externalId', value: 'ext-9' }))
      .then([{ type: 'ACCOUNT_SCIM_GROUP_UPDATED', data: { groupId: 'g1', changedAttributes: ['externalId'], changes: { externalId: 'ext-9' } } }]);
    // A required attribute (RFC 7643 §4.2, as /Schemas publishes it) cannot be removed: mutability.
    expect(scimErrorOf(() => decideGroup(ops({ op: 'remove', path: 'displayName' }), stateOf(created))).scimType).toBe('mutability');
  });
});

describe('group decider: PUT and member deletion', () => {
  it('PUT replaces displayName and the whole membership', () => {
    spec
      .given([created, added('a', 'b')])
      .when({
        type: 'ReplaceGroup',
        groupId: 'g1',
        schema,
        resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g1', displayName: 'Eng', members: [{ value: 'b' }, { value: 'c' }] },
      })
      .then([
        { type: 'ACCOUNT_SCIM_GROUP_RENAMED', data: { groupId: 'g1', displayName: 'Eng', previousDisplayName: 'Engineering' } },
        removed('a'),
        added('c'),
      ]);
  });

  it('ignores attributes no schema defines in PUT and in a pathless PATCH value, or refuses them when the workspace says so', () => {
    const put = {
      type: 'ReplaceGroup' as const,
      groupId: 'g1',
      schema,
      resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', costCentre: 'x' },
    };
    const pathless = ops({ op: 'replace', value: { displayName: 'Engineering', costCentre: 'x' } });
    spec.given([created]).when(put).thenNothingHappens();
    spec.given([created]).when(pathless).thenNothingHappens();
    for (const command of [put, pathless]) {
      const error = scimErrorOf(() => decideGroup({ ...command, unknownAttributes: 'reject' }, stateOf(created)));
      expect(error).toMatchObject({ status: 400, scimType: 'invalidPath', detail: 'Unknown attribute "costCentre": no schema of this resource defines it' });
    }
    // An unknown path is refused whatever the setting (RFC 7644), as before.
    expect(scimErrorOf(() => decideGroup(ops({ op: 'replace', path: 'costCentre', value: 'x' }), stateOf(created))).scimType).toBe('invalidPath');
  });

  it('removes a deleted member from the group once', () => {
    spec
      .given([created, added('u1', 'u2')])
      .when({ type: 'RemoveDeletedMember', groupId: 'g1', memberId: 'u1' })
      .then([{ type: 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED', data: { groupId: 'g1', memberIds: ['u1'], reason: 'member-deleted' } }]);
    spec.given([created, added('u2')]).when({ type: 'RemoveDeletedMember', groupId: 'g1', memberId: 'u1' }).thenNothingHappens();
    spec.given([]).when({ type: 'RemoveDeletedMember', groupId: 'g1', memberId: 'u1' }).thenNothingHappens();
  });
});

describe('group decider: state and limits', () => {
  it('folds membership deltas into the member set', () => {
    expect(membersOf(stateOf(created, added('a', 'b', 'c'), removed('b'), added('d')))).toEqual(['a', 'c', 'd']);
  });

  it('lists the ids a decision adds, for the existence check', () => {
    expect(addedMemberIdsOf([created, added('a'), removed('b'), added('c')])).toEqual(['a', 'c']);
  });

  it('decides a 1,000-member add on a 50,000-member group from the delta', () => {
    const big = stateOf(created, added(...Array.from({ length: 50_000 }, (_, index) => `m${index}`)));
    const newcomers = Array.from({ length: 1000 }, (_, index) => ({ value: index % 2 === 0 ? `m${index}` : `n${index}` }));
    const events = decideGroup(ops({ op: 'add', path: 'members', value: newcomers }), big);
    expect(events).toHaveLength(1);
    expect((events[0]!.data as { memberIds: string[] }).memberIds).toHaveLength(500);
  });

  it('replays 20,000 one-member additions quickly (the member set copies only touched buckets)', () => {
    const events = [created, ...Array.from({ length: 20_000 }, (_, index) => added(`m${index}`))];
    const started = Date.now();
    const state = stateOf(...events);
    expect(state.status === 'existing' && state.members.size).toBe(20_000);
    // Not a timing assertion: a quadratic fold would take minutes, this takes milliseconds.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('documents its limits: 413 above 1,000 operations or 10,000 members', () => {
    const members = Array.from({ length: GROUP_LIMITS.maxMembers + 1 }, (_, index) => ({ value: `u${index}` }));
    expect(scimErrorOf(() => assertWithinGroupLimits({ Operations: [{ op: 'add', path: 'members', value: members }] })).status).toBe(413);
    expect(scimErrorOf(() => assertWithinGroupLimits({ displayName: 'x', members })).status).toBe(413);
    const manyOps = Array.from({ length: GROUP_LIMITS.maxOperations + 1 }, () => ({ op: 'add', path: 'displayName', value: 'x' }));
    expect(scimErrorOf(() => assertWithinGroupLimits({ Operations: manyOps })).code).toBe('SCIM_PAYLOAD_TOO_LARGE');
    expect(() => assertWithinGroupLimits({ Operations: [{ op: 'add', path: 'members', value: members.slice(1) }] })).not.toThrow();
  });

  it('reads member values leniently', () => {
    expect(memberIdsOf([{ value: 'a', $ref: null, display: 'A' }, 'b', { Value: 'c', type: 'User' }])).toEqual(['a', 'b', 'c']);
    expect(memberIdsOf(null)).toEqual([]);
    expect(memberIdsOf({ value: 'a' })).toEqual(['a']);
  });
});

describe('member set', () => {
  it('is immutable and shares unchanged sets', () => {
    const one = MemberSet.of(['a', 'b']);
    const two = one.withAdded(['c']);
    expect([...one].sort()).toEqual(['a', 'b']);
    expect([...two].sort()).toEqual(['a', 'b', 'c']);
    expect(two.withAdded(['a'])).toBe(two);
    expect(two.withRemoved(['z'])).toBe(two);
    expect(two.withRemoved(['a', 'c']).toArray()).toEqual(['b']);
    expect(two.size).toBe(3);
  });
});
