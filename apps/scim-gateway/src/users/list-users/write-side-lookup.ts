import { Injectable } from '@nestjs/common';
import { MEMBERS_PROJECTION } from '@axis/read-model';
import { type ListRequest, parseFilter, type ResourceSchema, USER_SCHEMA } from '@axis/scim';
import { ReadYourWrites } from '../../consistency/read-your-writes';
import { UserKeyReservations } from '../shared/user-key-reservations';
import { type UserKeyKind, userKeysOf } from '../shared/user-keys';

/** The unique attributes an IdP looks users up by before it creates them. */
const LOOKUP_KINDS: ReadonlySet<string> = new Set<UserKeyKind>(['userName', 'externalId']);

/**
 * An IdP looks every user up (`userName eq "…"`, `externalId eq "…"`) before creating it, and during
 * an initial sync every such lookup follows this process's previous write: read-your-writes would
 * make it wait for the members projection. Uniqueness is kept on the write side (every user's
 * userName and externalId are reserved in the append that gives them the value, and released only
 * after the append that takes it away), so a value whose reservation stream says nobody holds it
 * belongs to no user now: the lookup's answer is empty, known without waiting or reading the read
 * model. A held value, any other filter, or a read the projection has caught up with goes the
 * usual way.
 */
@Injectable()
export class WriteSideLookup {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    private readonly reservations: UserKeyReservations,
  ) {}

  /** True when `request` is such a lookup of a value nobody holds, asked while the projection may lag this workspace's write. */
  async findsNobody(workspaceId: string, request: ListRequest, schema: ResourceSchema): Promise<boolean> {
    return (await this.readYourWrites.pendingWrite(workspaceId, MEMBERS_PROJECTION)) !== undefined && (await this.holdsNobody(workspaceId, request, schema));
  }

  /** The reservations' half of `findsNobody`, for a caller that already knows a write is pending. */
  async holdsNobody(workspaceId: string, request: ListRequest, schema: ResourceSchema): Promise<boolean> {
    const lookup = uniqueValueLookup(request.filter, schema);
    return lookup !== null && !(await this.reservations.isHeld(workspaceId, lookup.kind, lookup.value));
  }
}

/** `userName eq "…"` or `externalId eq "…"` alone, with the value normalised as its reservation is. */
export function uniqueValueLookup(filter: string | undefined, schema: ResourceSchema): { kind: UserKeyKind; value: string } | null {
  if (filter === undefined) return null;
  const node = parseFilter(filter, schema);
  if (node.kind !== 'compare' || node.operator !== 'eq' || typeof node.value !== 'string') return null;
  const { schemaId, extension, attribute, subAttribute } = node.attribute;
  if (schemaId !== USER_SCHEMA || extension || subAttribute !== undefined || !LOOKUP_KINDS.has(attribute.name)) return null;
  const kind = attribute.name as UserKeyKind;
  const value = userKeysOf({ [kind]: node.value })[kind];
  return value === undefined ? null : { kind, value };
}
