import type { DomainEvent } from '../shared/event-metadata';
import type { Decider } from '../shared/decider';

/**
 * A workspace maps groups to product roles; a member's effective roles are the union of the roles
 * of the groups it belongs to. The mapping of a workspace lives in one stream,
 * `rolemapping-<workspaceId>.groups`, written by the admin API.
 */
export const ROLE_MAPPING_STREAM_CATEGORY = 'rolemapping';

export function roleMappingStreamName(workspaceId: string): string {
  return `${ROLE_MAPPING_STREAM_CATEGORY}-${workspaceId}.groups`;
}

/** Product roles whose loss ends the member's sessions (they may hold elevated rights). */
export const ELEVATED_ROLES: readonly string[] = ['admin', 'owner'];

export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_.:-]{0,63}$/;
export const MAX_ROLES_PER_GROUP = 20;

export interface RoleMappingSetData {
  groupId: string;
  /** The group's roles from now on, sorted; empty: the group grants no role any more. */
  roles: string[];
  previousRoles: string[];
}

export type RoleMappingSet = DomainEvent<'TENANT_ROLE_MAPPING_SET', RoleMappingSetData>;
export type RoleMappingEvent = RoleMappingSet;

export const ROLE_MAPPING_EVENT_TYPES: ReadonlyArray<RoleMappingEvent['type']> = ['TENANT_ROLE_MAPPING_SET'];

export function isRoleMappingEvent(event: { type: string }): event is RoleMappingEvent {
  return (ROLE_MAPPING_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Set (replace) the roles a group grants; an empty list removes the mapping. */
export interface SetGroupRoles {
  type: 'SetGroupRoles';
  groupId: string;
  roles: string[];
}

export type RoleMappingCommand = SetGroupRoles;

/** Group id → roles it grants (only groups with at least one role). */
export interface RoleMappingState {
  groups: ReadonlyMap<string, readonly string[]>;
}

export class RoleMappingRuleViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoleMappingRuleViolation';
  }
}

export const initialRoleMappingState = (): RoleMappingState => ({ groups: new Map() });

export function decideRoleMapping(command: RoleMappingCommand, state: RoleMappingState): RoleMappingEvent[] {
  switch (command.type) {
    case 'SetGroupRoles': {
      const roles = normaliseRoles(command.roles);
      const previousRoles = [...(state.groups.get(command.groupId) ?? [])];
      if (sameRoles(roles, previousRoles)) return [];
      return [{ type: 'TENANT_ROLE_MAPPING_SET', data: { groupId: command.groupId, roles, previousRoles } }];
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveRoleMapping(state: RoleMappingState, event: RoleMappingEvent): RoleMappingState {
  switch (event.type) {
    case 'TENANT_ROLE_MAPPING_SET': {
      const groups = new Map(state.groups);
      if (event.data.roles.length === 0) groups.delete(event.data.groupId);
      else groups.set(event.data.groupId, event.data.roles);
      return { groups };
    }
    default:
      return assertNever(event.type);
  }
}

/** Validated, de-duplicated and sorted role names. */
export function normaliseRoles(roles: readonly string[]): string[] {
  const unique = [...new Set(roles)].sort();
  if (unique.length > MAX_ROLES_PER_GROUP) throw new RoleMappingRuleViolation(`A group may grant at most ${MAX_ROLES_PER_GROUP} roles`);
  for (const role of unique) {
    if (typeof role !== 'string' || !ROLE_NAME_PATTERN.test(role)) {
      throw new RoleMappingRuleViolation(`Invalid role name ${JSON.stringify(role)}: use ${ROLE_NAME_PATTERN.source}`);
    }
  }
  return unique;
}

export function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role, index) => role === b[index]);
}

/** The roles of `before` that `after` no longer has, and the other way round. */
export function roleChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((role) => !before.includes(role)), removed: before.filter((role) => !after.includes(role)) };
}

function assertNever(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}

export const roleMappingDecider: Decider<RoleMappingCommand, RoleMappingEvent, RoleMappingState> = { decide: decideRoleMapping, evolve: evolveRoleMapping, initialState: initialRoleMappingState };
