import type { MemberEmailRecord, MemberRecord } from '../entities';

type Attributes = Record<string, unknown>;

/** The indexed columns a member row derives from its SCIM attributes. */
export function memberColumnsOf(attributes: Attributes): Pick<
  MemberRecord,
  'userName' | 'userNameLc' | 'externalId' | 'displayName' | 'givenName' | 'familyName' | 'primaryEmail'
> {
  const name = isObject(attributes['name']) ? attributes['name'] : {};
  const userName = String(attributes['userName'] ?? '');
  return {
    userName,
    userNameLc: userName.toLowerCase(),
    externalId: stringOrNull(attributes['externalId']),
    displayName: stringOrNull(attributes['displayName']),
    givenName: stringOrNull(name['givenName']),
    familyName: stringOrNull(name['familyName']),
    primaryEmail: primaryEmailOf(attributes),
  };
}

/** The primary email, else the first one (of those with a value, as member_emails holds them). */
function primaryEmailOf(attributes: Attributes): string | null {
  const emails = (Array.isArray(attributes['emails']) ? attributes['emails'] : []).filter(
    (email): email is Attributes => isObject(email) && typeof email['value'] === 'string',
  );
  const chosen = emails.find((email) => email['primary'] === true) ?? emails[0];
  return chosen ? (chosen['value'] as string) : null;
}

export function memberEmailsOf(memberId: string, workspaceId: string, attributes: Attributes): MemberEmailRecord[] {
  const emails = Array.isArray(attributes['emails']) ? attributes['emails'] : [];
  return emails.filter(isObject).flatMap((email, ordinal) => {
    const value = stringOrNull(email['value']);
    if (value === null) return [];
    return [
      {
        memberId,
        ordinal,
        workspaceId,
        value,
        valueLc: value.toLowerCase(),
        type: stringOrNull(email['type']),
        primary: email['primary'] === true,
      },
    ];
  });
}

function isObject(value: unknown): value is Attributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
