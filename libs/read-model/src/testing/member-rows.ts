import { MemberRecord } from '../entities';

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
