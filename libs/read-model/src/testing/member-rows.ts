import { MemberRecord } from '../entities';
import { memberColumnsOf } from '../members/member-columns';

/** A stored SCIM member row with placeholder values, for specs that need many rows, not particular ones. */
export function aMemberRow(id: string, userName = id): MemberRecord {
  const at = '2026-01-01T00:00:00.000Z';
  return Object.assign(new MemberRecord(), {
    id,
    workspaceId: 'ws',
    userName,
    userNameLc: userName.toLowerCase(),
    externalId: null,
    displayName: null,
    givenName: null,
    familyName: null,
    primaryEmail: null,
    active: true,
    source: 'scim',
    resource: { userName, active: true },
    revision: 0,
    createdAt: at,
    updatedAt: at,
  });
}

/** The active SCIM member row the projection would store for `attributes` in workspace `ws`, created at `createdAt`. */
export function aStoredMember(id: string, attributes: Record<string, unknown>, createdAt: string): MemberRecord {
  return Object.assign(new MemberRecord(), {
    id,
    workspaceId: 'ws',
    ...memberColumnsOf(attributes),
    active: true,
    source: 'scim',
    resource: { ...attributes, active: true },
    revision: 0,
    createdAt,
    updatedAt: createdAt,
  });
}
