import { cloudEventTypeOf } from '../shared/cloud-event-types';
import { deciderSpecification } from '../testing/decider-specification';
import { isMemberRolesChange, memberRolesChanged } from './member-roles';
import { type RoleMappingEvent, RoleMappingRuleViolation, roleChanges, roleMappingDecider } from './role-mapping';

const spec = deciderSpecification(roleMappingDecider);
const set = (groupId: string, roles: string[], previousRoles: string[] = []): RoleMappingEvent => ({
  type: 'TENANT_ROLE_MAPPING_SET',
  data: { groupId, roles, previousRoles },
});

describe('role mapping decider', () => {
  it('maps a group to sorted, de-duplicated roles, and records what it replaced', () => {
    spec.given([]).when({ type: 'SetGroupRoles', groupId: 'g1', roles: ['member', 'admin', 'admin'] }).then([set('g1', ['admin', 'member'])]);
    spec.given([set('g1', ['admin'])]).when({ type: 'SetGroupRoles', groupId: 'g1', roles: ['viewer'] }).then([set('g1', ['viewer'], ['admin'])]);
  });

  it('changes nothing when the roles are the same; an empty list unmaps', () => {
    spec.given([set('g1', ['admin'])]).when({ type: 'SetGroupRoles', groupId: 'g1', roles: ['admin'] }).thenNothingHappens();
    spec.given([set('g1', ['admin'])]).when({ type: 'SetGroupRoles', groupId: 'g1', roles: [] }).then([set('g1', [], ['admin'])]);
    spec.given([]).when({ type: 'SetGroupRoles', groupId: 'g1', roles: [] }).thenNothingHappens();
  });

  it('refuses invalid role names', () => {
    spec.given([]).when({ type: 'SetGroupRoles', groupId: 'g1', roles: ['Admin Role'] }).thenThrows(RoleMappingRuleViolation);
  });
});

describe('member role changes', () => {
  it('are user UPDATED events naming roles, with a sensible CloudEvent type', () => {
    const event = memberRolesChanged('u1', ['member'], ['admin', 'member'], 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED');
    expect(event).toEqual({
      type: 'ACCOUNT_SCIM_USER_UPDATED',
      data: {
        userId: 'u1',
        changedAttributes: ['roles'],
        changes: {},
        roles: ['admin', 'member'],
        previousRoles: ['member'],
        addedRoles: ['admin'],
        removedRoles: [],
        causedBy: 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED',
      },
    });
    expect(isMemberRolesChange(event)).toBe(true);
    expect(isMemberRolesChange({ type: 'ACCOUNT_SCIM_USER_UPDATED', data: { changedAttributes: ['name'], changes: {} } })).toBe(false);
    expect(roleChanges(['admin'], ['viewer'])).toEqual({ added: ['viewer'], removed: ['admin'] });
  });

  it('group and role events map to platform.scim CloudEvent types', () => {
    expect(
      [
        'ACCOUNT_SCIM_GROUP_CREATED',
        'ACCOUNT_SCIM_GROUP_RENAMED',
        'ACCOUNT_SCIM_GROUP_UPDATED',
        'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED',
        'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
        'ACCOUNT_SCIM_GROUP_DELETED',
        'TENANT_ROLE_MAPPING_SET',
      ].map(cloudEventTypeOf),
    ).toEqual([
      'platform.scim.group.created',
      'platform.scim.group.renamed',
      'platform.scim.group.updated',
      'platform.scim.group.members-added',
      'platform.scim.group.members-removed',
      'platform.scim.group.deleted',
      'platform.scim.role.mapping-set',
    ]);
  });
});
