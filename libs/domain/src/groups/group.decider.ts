import {
  applyPatchOperations,
  getProperty,
  GROUP_SCHEMA,
  type JsonObject,
  type PatchOperation,
  replaceResource,
  type ResourceSchema,
  scimErrors,
  type UnknownAttributePolicy,
} from '@axis/scim';
import type { GroupEvent } from './group.events';
import { applyMembershipOperations, memberIdsOf, MembershipEdit } from './group-members';
import { MemberSet } from './member-set';
import type { Decider } from '../shared/decider';

export type GroupState =
  | { status: 'absent' }
  | { status: 'existing'; groupId: string; displayName: string; externalId: string | null; members: MemberSet }
  | { status: 'deleted'; groupId: string };

export type ExistingGroup = Extract<GroupState, { status: 'existing' }>;

/** `POST /Groups`, normalised: displayName, externalId and the member ids sent with it. */
export interface CreateGroup {
  type: 'CreateGroup';
  groupId: string;
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

/**
 * PATCH: the PatchOp's operations, in any IdP dialect. An unknown path is 400 invalidPath; unknown
 * keys of a pathless value are ignored unless `unknownAttributes` is `reject` (the workspace's SCIM settings).
 */
export interface PatchGroup {
  type: 'PatchGroup';
  groupId: string;
  /** The body's operations, normalised at the edge from any IdP dialect (`normalizePatchRequest`). */
  operations: readonly PatchOperation[];
  schema: ResourceSchema;
  /** Default `ignore`. */
  unknownAttributes?: UnknownAttributePolicy;
}

/** PUT (Okta AIW apps): the body replaces displayName, externalId and the whole membership; `unknownAttributes` as for PatchGroup. */
export interface ReplaceGroup {
  type: 'ReplaceGroup';
  groupId: string;
  /** The PUT body, checked at the edge to be an object naming the Group schema (`normalizeReplaceRequest`). */
  resource: JsonObject;
  schema: ResourceSchema;
  unknownAttributes?: UnknownAttributePolicy;
}

export interface DeleteGroup {
  type: 'DeleteGroup';
  groupId: string;
}

/** The member was deleted from the workspace: it leaves the group (if it still is a member). */
export interface RemoveDeletedMember {
  type: 'RemoveDeletedMember';
  groupId: string;
  memberId: string;
}

export type GroupCommand = CreateGroup | PatchGroup | ReplaceGroup | DeleteGroup | RemoveDeletedMember;

/** A command the state does not allow; the gateway maps it to a SCIM error (404, 409). */
export class GroupRuleViolation extends Error {
  constructor(
    readonly rule: 'already-exists' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'GroupRuleViolation';
  }
}

export const initialGroupState = (): GroupState => ({ status: 'absent' });

export function decideGroup(command: GroupCommand, state: GroupState): GroupEvent[] {
  switch (command.type) {
    case 'CreateGroup': {
      if (state.status !== 'absent') throw new GroupRuleViolation('already-exists', `Group ${command.groupId} already exists`);
      const displayName = requireDisplayName(command.displayName);
      const events: GroupEvent[] = [
        { type: 'ACCOUNT_SCIM_GROUP_CREATED', data: { groupId: command.groupId, displayName, externalId: command.externalId } },
      ];
      const memberIds = [...new Set(command.memberIds)];
      if (memberIds.length > 0) events.push({ type: 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', data: { groupId: command.groupId, memberIds } });
      return events;
    }
    case 'PatchGroup': {
      const group = existing(state, command.groupId);
      const edit = new MembershipEdit(group.members);
      const others = applyMembershipOperations(command.operations, command.schema, edit);
      const resource =
        others.length === 0 ? resourceOf(group) : applyPatchOperations(resourceOf(group), others, command.schema, { unknownAttributes: command.unknownAttributes ?? 'ignore' }).resource;
      return changeEvents(group, resource, edit);
    }
    case 'ReplaceGroup': {
      const group = existing(state, command.groupId);
      const { body, members } = withoutMembers(command.resource);
      const { resource } = replaceResource(resourceOf(group), body, command.schema, { unknownAttributes: command.unknownAttributes ?? 'ignore' });
      const edit = new MembershipEdit(group.members);
      edit.replaceWith(memberIdsOf(members));
      return changeEvents(group, resource, edit);
    }
    case 'DeleteGroup': {
      const group = existing(state, command.groupId);
      return [{ type: 'ACCOUNT_SCIM_GROUP_DELETED', data: { groupId: group.groupId, displayName: group.displayName } }];
    }
    case 'RemoveDeletedMember': {
      if (state.status !== 'existing' || !state.members.has(command.memberId)) return [];
      return [
        {
          type: 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
          data: { groupId: state.groupId, memberIds: [command.memberId], reason: 'member-deleted' },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

/** Pure; membership updates copy only the touched buckets of the MemberSet (cheap replays). */
export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  switch (event.type) {
    case 'ACCOUNT_SCIM_GROUP_CREATED':
      return {
        status: 'existing',
        groupId: event.data.groupId,
        displayName: event.data.displayName,
        externalId: event.data.externalId,
        members: MemberSet.empty(),
      };
    case 'ACCOUNT_SCIM_GROUP_RENAMED':
      return state.status === 'existing' ? { ...state, displayName: event.data.displayName } : state;
    case 'ACCOUNT_SCIM_GROUP_UPDATED': {
      if (state.status !== 'existing' || !('externalId' in event.data.changes)) return state;
      const externalId = event.data.changes['externalId'];
      return { ...state, externalId: typeof externalId === 'string' ? externalId : null };
    }
    case 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED':
      return state.status === 'existing' ? { ...state, members: state.members.withAdded(event.data.memberIds) } : state;
    case 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED':
      return state.status === 'existing' ? { ...state, members: state.members.withRemoved(event.data.memberIds) } : state;
    case 'ACCOUNT_SCIM_GROUP_DELETED':
      return { status: 'deleted', groupId: event.data.groupId };
    default:
      return assertNever(event);
  }
}

/** The SCIM Group resource libs/scim edits, without members (they are handled as deltas). */
export function groupResourceOf(group: ExistingGroup): JsonObject {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.groupId,
    displayName: group.displayName,
    ...(group.externalId === null ? {} : { externalId: group.externalId }),
  };
}

/** The ids a decision adds as members: the write side checks that each is a live user. */
export function addedMemberIdsOf(events: readonly GroupEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED' ? event.data.memberIds : []));
}

const resourceOf = groupResourceOf;

function existing(state: GroupState, groupId: string): ExistingGroup {
  if (state.status === 'existing') return state;
  throw new GroupRuleViolation('not-found', `Group ${groupId} not found`);
}

function requireDisplayName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw scimErrors.invalidValue('displayName is required and must be a non-empty string');
  return value;
}

function withoutMembers(body: JsonObject): { body: JsonObject; members: unknown } {
  const rest: JsonObject = {};
  let members: unknown;
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'members') members = value;
    else rest[key] = value;
  }
  return { body: rest, members };
}

/**
 * Events for the difference between the stored group and the edited one: RENAMED, UPDATED
 * (externalId), then the membership delta (removals before additions). No change, no event: Okta
 * re-sends its rename `{id, displayName}` with every membership change.
 */
function changeEvents(group: ExistingGroup, resource: JsonObject, edit: MembershipEdit): GroupEvent[] {
  const events: GroupEvent[] = [];
  const displayName = requireDisplayName(getProperty(resource, 'displayName'));
  if (displayName !== group.displayName) {
    events.push({
      type: 'ACCOUNT_SCIM_GROUP_RENAMED',
      data: { groupId: group.groupId, displayName, previousDisplayName: group.displayName },
    });
  }
  const rawExternalId = getProperty(resource, 'externalId');
  const externalId = typeof rawExternalId === 'string' && rawExternalId !== '' ? rawExternalId : null;
  if (externalId !== group.externalId) {
    events.push({
      type: 'ACCOUNT_SCIM_GROUP_UPDATED',
      data: { groupId: group.groupId, changedAttributes: ['externalId'], changes: { externalId } },
    });
  }
  if (edit.removed.size > 0) {
    events.push({
      type: 'ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED',
      data: { groupId: group.groupId, memberIds: [...edit.removed], reason: 'scim' },
    });
  }
  if (edit.added.size > 0) {
    events.push({ type: 'ACCOUNT_SCIM_GROUP_MEMBERS_ADDED', data: { groupId: group.groupId, memberIds: [...edit.added] } });
  }
  return events;
}

function assertNever(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}

export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState> = { decide: decideGroup, evolve: evolveGroup, initialState: initialGroupState };
