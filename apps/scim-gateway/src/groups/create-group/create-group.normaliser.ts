import { assertWithinGroupLimits, memberIdsOf } from '@axis/domain';
import { getProperty, GROUP_SCHEMA, isJsonObject, normalizeNewResource, scimErrors, type UnknownAttributePolicy, validateSchemas } from '@axis/scim';
import { groupSchema } from '../shared/group-schema';

export interface NormalisedNewGroup {
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

/**
 * Lenient ingress for `POST /Groups`: Entra's ADSCIM extension URN in `schemas` and `meta` are
 * ignored, `members: []` (Entra, Okta) or a member list are accepted; groups hold users only.
 * Attributes the Group schema does not define are ignored, or refused (400 invalidPath) when the
 * workspace's SCIM settings say `rejectUnknownAttributes`.
 */
export function normaliseNewGroup(body: unknown, unknownAttributes: UnknownAttributePolicy = 'ignore'): NormalisedNewGroup {
  validateSchemas(body, GROUP_SCHEMA);
  assertWithinGroupLimits(body);
  if (!isJsonObject(body)) throw scimErrors.invalidSyntax('Body must be a JSON object');
  const memberIds = memberIdsOf(getProperty(body, 'members'));
  const withoutMembers = Object.fromEntries(Object.entries(body).filter(([key]) => key.toLowerCase() !== 'members'));
  const resource = normalizeNewResource(withoutMembers, groupSchema, { unknownAttributes });
  const displayName = resource['displayName'];
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw scimErrors.invalidValue('displayName is required and must be a non-empty string');
  }
  const externalId = resource['externalId'];
  return { displayName, externalId: typeof externalId === 'string' && externalId !== '' ? externalId : null, memberIds };
}
