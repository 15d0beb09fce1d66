import type { UserAttributes } from '@axis/domain';

export type UserKeyKind = 'userName' | 'externalId' | 'email';

/** The values that must be unique among a workspace's users (DESIGN.md §4), normalised for comparison. */
export type UserKeys = Partial<Record<UserKeyKind, string>>;

/** userName and email compare case-insensitively; externalId is caseExact (RFC 7643). */
export function userKeysOf(attributes: UserAttributes): UserKeys {
  const keys: UserKeys = {};
  const userName = attributes['userName'];
  if (typeof userName === 'string' && userName !== '') keys.userName = userName.toLowerCase();
  const externalId = attributes['externalId'];
  if (typeof externalId === 'string' && externalId !== '') keys.externalId = externalId;
  const email = primaryEmailOf(attributes);
  if (email) keys.email = email.toLowerCase();
  return keys;
}

/** The primary email, or the only/first one when none is marked primary. */
export function primaryEmailOf(attributes: UserAttributes): string | null {
  const emails = Array.isArray(attributes['emails']) ? (attributes['emails'] as Array<Record<string, unknown>>) : [];
  const chosen = emails.find((email) => email?.['primary'] === true) ?? emails[0];
  return typeof chosen?.['value'] === 'string' ? chosen['value'] : null;
}
