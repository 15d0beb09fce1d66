import {
  evaluateElementFilter,
  type FilterNode,
  getProperty,
  GROUP_SCHEMA,
  isJsonObject,
  type JsonObject,
  parsePatchPath,
  PATCH_MAX_OPERATIONS,
  type PatchOperation,
  type ResourceSchema,
  scimErrors,
} from '@axis/scim';
import type { MemberSet } from './member-set';

/**
 * Limits of one group request, documented to customers (413 with a SCIM error above them). Entra
 * and Okta send far fewer; Miro caps a group PATCH at 8,000 members. A 10,000-member value list
 * is about 600 KB of JSON, under the gateway's 1 MiB body limit.
 */
export const GROUP_LIMITS = {
  /** PatchOp `Operations` per group PATCH: the PATCH limit of users and groups alike. */
  maxOperations: PATCH_MAX_OPERATIONS,
  /** Member values in one request: the sum over a PATCH's operations, or a POST/PUT's `members`. */
  maxMembers: 10_000,
} as const;

/** Throws 413 when a group request goes over GROUP_LIMITS; counts without validating. */
export function assertWithinGroupLimits(body: unknown): void {
  if (!isJsonObject(body)) return;
  let members = countMembers(getProperty(body, 'members'));
  const operations = getProperty(body, 'Operations');
  if (Array.isArray(operations)) {
    if (operations.length > GROUP_LIMITS.maxOperations) {
      throw scimErrors.payloadTooLarge(`A group PATCH may carry at most ${GROUP_LIMITS.maxOperations} operations; this one has ${operations.length}`);
    }
    for (const operation of operations) {
      if (!isJsonObject(operation)) continue;
      const value = getProperty(operation, 'value');
      members += countMembers(value);
      if (isJsonObject(value)) members += countMembers(getProperty(value, 'members'));
    }
  }
  if (members > GROUP_LIMITS.maxMembers) {
    throw scimErrors.payloadTooLarge(`A group request may name at most ${GROUP_LIMITS.maxMembers} members; this one names ${members}`);
  }
}

function countMembers(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/**
 * The user ids of a `members` value as IdPs send it: `[{value, display?, $ref?, type?}]`, one such
 * object, or (leniently) bare id strings; null is none. Groups hold users only: a member typed
 * `Group` or referring to /Groups/ is 400 invalidValue (nested groups are not supported).
 */
export function memberIdsOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const ids: string[] = [];
  for (const element of Array.isArray(value) ? value : [value]) {
    if (typeof element === 'string' && element !== '') {
      ids.push(element);
      continue;
    }
    if (!isJsonObject(element)) throw scimErrors.invalidValue('Each member must be an object with a "value"');
    const id = getProperty(element, 'value');
    if (typeof id !== 'string' || id === '') throw scimErrors.invalidValue('Each member needs a non-empty string "value" (a user id)');
    const type = getProperty(element, 'type');
    const ref = getProperty(element, '$ref');
    if ((typeof type === 'string' && type.toLowerCase() !== 'user') || (typeof ref === 'string' && /\/Groups\//i.test(ref))) {
      throw scimErrors.invalidValue(`Member ${id} is a group: nested groups are not supported, a group's members are users`);
    }
    if (type !== undefined && type !== null && typeof type !== 'string') throw scimErrors.invalidValue('Member "type" must be a string');
    ids.push(id);
  }
  return ids;
}

/**
 * A membership being edited by a request: the delta over the stored set, so adding or removing
 * costs O(ids touched) whatever the group's size. Adding a member already there, or removing one
 * that is not, changes nothing.
 */
export class MembershipEdit {
  readonly added = new Set<string>();
  readonly removed = new Set<string>();

  constructor(private readonly current: MemberSet) {}

  has(id: string): boolean {
    return this.added.has(id) || (this.current.has(id) && !this.removed.has(id));
  }

  add(id: string): void {
    if (this.has(id)) return;
    if (this.removed.has(id)) this.removed.delete(id);
    else this.added.add(id);
  }

  remove(id: string): void {
    if (!this.has(id)) return;
    if (this.added.has(id)) this.added.delete(id);
    else this.removed.add(id);
  }

  /** The members after the edit so far (O(group size): full-set operations only). */
  members(): string[] {
    const members: string[] = [];
    for (const id of this.current) if (!this.removed.has(id)) members.push(id);
    for (const id of this.added) members.push(id);
    return members;
  }

  /** `replace members [...]`: the list becomes the whole membership; stale members are removed. */
  replaceWith(ids: readonly string[]): void {
    const wanted = new Set(ids);
    for (const id of this.members()) if (!wanted.has(id)) this.remove(id);
    for (const id of wanted) this.add(id);
  }

  get changed(): boolean {
    return this.added.size > 0 || this.removed.size > 0;
  }
}

/**
 * Splits a group PatchOp into membership edits (applied to `edit`, in order) and the operations on
 * the group's other attributes (returned, for libs/scim's PATCH engine). Accepts every form IdPs
 * send: `add members [...]`, `remove members[value eq "id"]` without a value, Entra's legacy
 * `Remove members` with a value list (those members only, never all), `replace members [...]`
 * (the full set), and a pathless value holding a `members` key.
 */
export function applyMembershipOperations(operations: readonly PatchOperation[], schema: ResourceSchema, edit: MembershipEdit): PatchOperation[] {
  const others: PatchOperation[] = [];
  for (const operation of operations) {
    if (operation.path === undefined) {
      if (operation.op !== 'remove' && isJsonObject(operation.value)) {
        const key = Object.keys(operation.value).find(isMembersKey);
        if (key !== undefined) {
          applyWholeMembers(operation.op, operation.value[key], true, edit);
          const rest: JsonObject = { ...operation.value };
          delete rest[key];
          if (Object.keys(rest).length > 0) others.push({ ...operation, value: rest });
          continue;
        }
      }
      others.push(operation);
      continue;
    }
    const target = parsePatchPath(operation.path, schema);
    if (target.kind !== 'attribute' || target.attribute.extension || target.attribute.attribute.name !== 'members') {
      others.push(operation);
      continue;
    }
    const sub = target.filterSubAttribute ?? target.attribute.subAttribute;
    if (sub !== undefined) {
      // /Schemas publishes `display` readOnly (the server names each member from the user) and the
      // other sub-attributes immutable (they identify the member): an operation on one is refused
      // (RFC 7644 §3.5.2), as the PATCH engine refuses one on any readOnly or immutable attribute.
      if (sub.name === 'display') throw scimErrors.mutability('"members.display" is read-only: the server names each member from the user');
      throw scimErrors.mutability(`members.${sub.name} cannot be changed: add or remove the member instead`);
    }
    if (target.filter !== undefined) {
      if (operation.op !== 'remove') throw scimErrors.invalidPath(`"${operation.path}": a filtered members path can only be removed; add members with path "members"`);
      removeMatching(target.filter, edit);
      continue;
    }
    if (operation.op !== 'remove' && !operation.hasValue) throw scimErrors.invalidValue(`"${operation.op}" members requires a "value"`);
    applyWholeMembers(operation.op, operation.value, operation.hasValue, edit);
  }
  return others;
}

function applyWholeMembers(op: PatchOperation['op'], value: unknown, hasValue: boolean, edit: MembershipEdit): void {
  switch (op) {
    case 'add':
      for (const id of memberIdsOf(value)) edit.add(id);
      return;
    case 'replace':
      edit.replaceWith(memberIdsOf(value));
      return;
    case 'remove':
      // Entra (default mode) and JumpCloud: a value list removes those members only.
      if (hasValue && value !== null) for (const id of memberIdsOf(value)) edit.remove(id);
      else edit.replaceWith([]);
      return;
  }
}

const MEMBERS_URN_KEY = `${GROUP_SCHEMA}:members`.toLowerCase();

function isMembersKey(key: string): boolean {
  const lc = key.toLowerCase();
  return lc === 'members' || lc === MEMBERS_URN_KEY;
}

/** `members[value eq "a" or value eq "b"]` looks ids up directly; other filters scan the members. */
function removeMatching(filter: FilterNode, edit: MembershipEdit): void {
  const ids = idsOfValueFilter(filter);
  if (ids !== null) {
    for (const id of ids) edit.remove(id);
    return;
  }
  for (const id of edit.members()) {
    if (evaluateElementFilter(filter, { value: id, type: 'User' })) edit.remove(id);
  }
}

function idsOfValueFilter(filter: FilterNode): string[] | null {
  if (filter.kind === 'compare') {
    const sub = filter.attribute.subAttribute;
    return sub?.name === 'value' && filter.operator === 'eq' && typeof filter.value === 'string' ? [filter.value] : null;
  }
  if (filter.kind === 'or') {
    const ids: string[] = [];
    for (const operand of filter.operands) {
      const found = idsOfValueFilter(operand);
      if (found === null) return null;
      ids.push(...found);
    }
    return ids;
  }
  return null;
}
