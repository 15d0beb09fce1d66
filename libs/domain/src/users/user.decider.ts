import {
  applyPatchOperations,
  isJsonObject,
  type JsonObject,
  jsonEqual,
  type PatchOperation,
  replaceResource,
  type ResourceSchema,
  scimErrors,
  type UnknownAttributePolicy,
  USER_SCHEMA,
} from '@axis/scim';
import type { UserAttributes, UserEvent } from './user.events';
import type { Decider } from '../shared/decider';

export type UserState =
  | { status: 'absent' }
  | { status: 'local'; userId: string; userName: string; attributes: UserAttributes; mergeApproved: boolean }
  | { status: 'active' | 'inactive'; userId: string; userName: string; externalId: string | null; attributes: UserAttributes }
  | { status: 'deleted'; userId: string };

export type ExistingUser = Extract<UserState, { status: 'active' | 'inactive' }>;

export interface CreateUser {
  type: 'CreateUser';
  userId: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  attributes: UserAttributes;
  /** Attributes of the request no schema of the workspace defines (a mis-mapping), recorded on the event. */
  ignoredAttributes?: string[];
}

/**
 * PUT: the body replaces every writable attribute (libs/scim applies RFC 7643 mutability).
 * `schema` is the workspace's schema for writes: attributes it does not define are ignored (and
 * listed on the event) or, with `unknownAttributes: 'reject'` (the workspace's SCIM settings),
 * refused with 400 invalidPath; stored values of attributes it no longer defines (deprecated) are kept.
 */
export interface ReplaceUser {
  type: 'ReplaceUser';
  userId: string;
  /** The PUT body, checked at the edge to be an object naming the User schema (`normalizeReplaceRequest`). */
  resource: JsonObject;
  schema: ResourceSchema;
  /** Default `ignore`. */
  unknownAttributes?: UnknownAttributePolicy;
}

/**
 * PATCH: the operations of the body, in any IdP dialect libs/scim understands; `unknownAttributes` as for
 * ReplaceUser. `schema` is the workspace's schema as published (deprecated attributes readOnly: an
 * operation may echo their stored value, changing or clearing it is 400 mutability).
 */
export interface PatchUser {
  type: 'PatchUser';
  userId: string;
  /** The body's operations, normalised at the edge from any IdP dialect (`normalizePatchRequest`). */
  operations: readonly PatchOperation[];
  schema: ResourceSchema;
  unknownAttributes?: UnknownAttributePolicy;
}

export interface DeleteUser {
  type: 'DeleteUser';
  userId: string;
}

/** An admin records an account that exists outside SCIM (Settings → Members → Add member). */
export interface CreateLocalMember {
  type: 'CreateLocalMember';
  userId: string;
  userName: string;
  email: string;
  displayName: string | null;
}

/** Link a local account to the IdP's user: the SCIM create that matched its email, or an admin. */
export interface MergeScimUser {
  type: 'MergeScimUser';
  userId: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  attributes: UserAttributes;
  mergedBy: 'auto' | 'admin';
  ignoredAttributes?: string[];
}

/** Settings → Members → Merge, for a workspace with auto-merge off. */
export interface ApproveMerge {
  type: 'ApproveMerge';
  userId: string;
}

export type UserCommand = CreateUser | ReplaceUser | PatchUser | DeleteUser | CreateLocalMember | MergeScimUser | ApproveMerge;

/** A command the state does not allow; the gateway maps it to a SCIM error. */
export class UserRuleViolation extends Error {
  constructor(
    readonly rule: 'already-exists' | 'not-found' | 'not-mergeable',
    message: string,
  ) {
    super(message);
    this.name = 'UserRuleViolation';
  }
}

export const initialUserState = (): UserState => ({ status: 'absent' });

/** At most this many ignored attribute names are recorded per operation (the audit log shows lists up to 50). */
export const MAX_IGNORED_ATTRIBUTES = 50;

/** A decision and the request attributes no schema of the workspace defines, which it ignored. */
export interface UserDecision {
  events: UserEvent[];
  ignoredAttributes: string[];
}

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  return decideUserWithReport(command, state).events;
}

/**
 * As `decideUser`, also returning the ignored attributes: the first event of the operation carries
 * them (`ignoredAttributes`), but an operation that changes nothing has no event to carry them.
 */
export function decideUserWithReport(command: UserCommand, state: UserState): UserDecision {
  switch (command.type) {
    case 'ReplaceUser': {
      const user = existing(state, command.userId);
      const { resource, ignoredAttributes } = replaceResource(scimResourceOf(user), command.resource, command.schema, { unknownAttributes: command.unknownAttributes ?? 'ignore' });
      return reported(changeEvents(user, keepUndefinedValues(user.attributes, resource, command.schema)), ignoredAttributes);
    }
    case 'PatchUser': {
      const user = existing(state, command.userId);
      // A path naming an attribute the workspace does not define is a mis-mapping: ignored, not a 400
      // (unless the workspace refuses unknown attributes).
      const unknown = command.unknownAttributes ?? 'ignore';
      const { resource, ignoredAttributes } = applyPatchOperations(scimResourceOf(user), command.operations, command.schema, { unknownPaths: unknown, unknownAttributes: unknown });
      // A user is always active or not: removing `active` (or replacing it with null) would change
      // nothing, and an operation the server will not apply is refused rather than dropped.
      if (typeof resource['active'] !== 'boolean') throw scimErrors.mutability('"active" cannot be removed: replace it with false to deactivate the user');
      return reported(changeEvents(user, keepUndefinedValues(user.attributes, resource, command.schema)), ignoredAttributes);
    }
    case 'CreateUser':
    case 'MergeScimUser':
      return reported(decideOther(command, state), command.ignoredAttributes ?? []);
    default:
      return { events: decideOther(command, state), ignoredAttributes: [] };
  }
}

function reported(events: UserEvent[], ignored: readonly string[]): UserDecision {
  const ignoredAttributes = ignored.slice(0, MAX_IGNORED_ATTRIBUTES);
  const [first] = events;
  if (first === undefined || ignoredAttributes.length === 0) return { events, ignoredAttributes };
  return { events: [{ ...first, data: { ...first.data, ignoredAttributes } } as UserEvent, ...events.slice(1)], ignoredAttributes };
}

function decideOther(command: Exclude<UserCommand, ReplaceUser | PatchUser>, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'CreateUser': {
      if (state.status !== 'absent') throw new UserRuleViolation('already-exists', `User ${command.userId} already exists`);
      return [
        {
          type: 'ACCOUNT_SCIM_USER_CREATED',
          data: {
            userId: command.userId,
            userName: command.userName,
            externalId: command.externalId,
            active: command.active,
            attributes: command.attributes,
          },
        },
      ];
    }
    case 'DeleteUser': {
      const user = existing(state, command.userId);
      return [{ type: 'ACCOUNT_SCIM_USER_DELETED', data: { userId: user.userId } }];
    }
    case 'CreateLocalMember': {
      if (state.status !== 'absent') throw new UserRuleViolation('already-exists', `Member ${command.userId} already exists`);
      const { type: _type, ...data } = command;
      return [{ type: 'ACCOUNT_LOCAL_MEMBER_CREATED', data }];
    }
    case 'ApproveMerge': {
      if (state.status !== 'local') {
        throw new UserRuleViolation('not-mergeable', `Member ${command.userId} is not a local account awaiting its first sync`);
      }
      return state.mergeApproved ? [] : [{ type: 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED', data: { userId: command.userId } }];
    }
    case 'MergeScimUser': {
      if (state.status !== 'local') {
        throw new UserRuleViolation('not-mergeable', `Member ${command.userId} is not a local account awaiting its first sync`);
      }
      const { type: _type, ignoredAttributes: _ignored, ...data } = command;
      return [{ type: 'ACCOUNT_SCIM_USER_MERGED', data }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'ACCOUNT_LOCAL_MEMBER_CREATED':
      return {
        status: 'local',
        userId: event.data.userId,
        userName: event.data.userName,
        attributes: localAttributesOf(event.data),
        mergeApproved: false,
      };
    case 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED':
      return state.status === 'local' ? { ...state, mergeApproved: true } : state;
    case 'ACCOUNT_SCIM_USER_CREATED':
    case 'ACCOUNT_SCIM_USER_MERGED':
      return {
        status: event.data.active ? 'active' : 'inactive',
        userId: event.data.userId,
        userName: event.data.userName,
        externalId: event.data.externalId,
        attributes: event.data.attributes,
      };
    case 'ACCOUNT_SCIM_USER_UPDATED': {
      if (state.status !== 'active' && state.status !== 'inactive') return state;
      const attributes = applyChanges(state.attributes, event.data.changes);
      return {
        ...state,
        attributes,
        userName: typeof attributes['userName'] === 'string' ? attributes['userName'] : state.userName,
        externalId: typeof attributes['externalId'] === 'string' ? attributes['externalId'] : null,
      };
    }
    case 'ACCOUNT_SCIM_USER_DEACTIVATED':
      return state.status === 'active' ? { ...state, status: 'inactive' } : state;
    case 'ACCOUNT_SCIM_USER_REACTIVATED':
      return state.status === 'inactive' ? { ...state, status: 'active' } : state;
    case 'ACCOUNT_SCIM_USER_DELETED':
      return { status: 'deleted', userId: event.data.userId };
    default:
      return assertNever(event);
  }
}

/** A local account as SCIM attributes, so its email and userName take part in uniqueness. */
export function localAttributesOf(data: { userName: string; email: string; displayName: string | null }): UserAttributes {
  return {
    userName: data.userName,
    emails: [{ value: data.email, primary: true }],
    ...(data.displayName ? { displayName: data.displayName } : {}),
  };
}

/** New values of changed top-level attributes; null means removed. */
export function applyChanges(attributes: UserAttributes, changes: UserAttributes): UserAttributes {
  const next: UserAttributes = { ...attributes };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/**
 * Okta sends `password` even when password sync is off. The product authenticates through SSO and
 * never needs it: it is dropped at the door and never stored in an event.
 */
export function withoutSecrets(attributes: UserAttributes): UserAttributes {
  const kept: UserAttributes = {};
  for (const [key, value] of Object.entries(attributes)) if (key.toLowerCase() !== 'password') kept[key] = value;
  return kept;
}

function existing(state: UserState, userId: string): ExistingUser {
  if (state.status === 'active' || state.status === 'inactive') return state;
  throw new UserRuleViolation('not-found', `User ${userId} not found`);
}

/** The SCIM resource libs/scim edits: stored attributes plus the schemas and `active` they imply. */
function scimResourceOf(user: ExistingUser): Record<string, unknown> {
  const extensions = Object.keys(user.attributes).filter((key) => key.toLowerCase().startsWith('urn:'));
  return { schemas: [USER_SCHEMA, ...extensions], id: user.userId, ...user.attributes, active: user.status === 'active' };
}

/**
 * Stored values of attributes `schema` does not define (a deprecated custom attribute) stay as they
 * are: the IdP can neither set nor clear them, and a PUT that leaves them out does not erase them.
 */
function keepUndefinedValues(stored: UserAttributes, edited: Record<string, unknown>, schema: ResourceSchema): Record<string, unknown> {
  let result = edited;
  for (const [key, value] of Object.entries(stored)) {
    if (!key.toLowerCase().startsWith('urn:') || !isJsonObject(value)) continue;
    const kept = Object.keys(value).filter((name) => schema.resolve(`${key}:${name}`) === undefined);
    if (kept.length === 0) continue;
    const container = isJsonObject(result[key]) ? { ...(result[key] as Record<string, unknown>) } : {};
    for (const name of kept) container[name] = value[name];
    result = { ...result, [key]: container };
  }
  return result;
}

/**
 * Events for the difference between the stored user and the edited resource: one UPDATED with
 * only the top-level attributes that really changed, and DEACTIVATED / REACTIVATED for `active`
 * (a separate fact, because it revokes sessions). No change, no event.
 */
function changeEvents(user: ExistingUser, resource: Record<string, unknown>): UserEvent[] {
  const { schemas: _schemas, id: _id, meta: _meta, groups: _groups, active, ...edited } = resource;
  const attributes = withoutSecrets(edited);
  const changes: UserAttributes = {};
  for (const key of new Set([...Object.keys(user.attributes), ...Object.keys(attributes)])) {
    const before = user.attributes[key];
    const after = attributes[key];
    if (!jsonEqual(before, after)) changes[key] = after === undefined ? null : after;
  }
  const events: UserEvent[] = [];
  const changedAttributes = Object.keys(changes).sort();
  if (changedAttributes.length > 0) {
    events.push({ type: 'ACCOUNT_SCIM_USER_UPDATED', data: { userId: user.userId, changedAttributes, changes } });
  }
  const wasActive = user.status === 'active';
  if (active === false && wasActive) events.push({ type: 'ACCOUNT_SCIM_USER_DEACTIVATED', data: { userId: user.userId } });
  if (active === true && !wasActive) events.push({ type: 'ACCOUNT_SCIM_USER_REACTIVATED', data: { userId: user.userId } });
  return events;
}

function assertNever(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}

export const userDecider: Decider<UserCommand, UserEvent, UserState> = { decide: decideUser, evolve: evolveUser, initialState: initialUserState };
