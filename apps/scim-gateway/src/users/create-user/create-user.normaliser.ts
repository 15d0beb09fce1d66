import { withoutSecrets } from '@axis/domain';
import { normalizeNewResource, scimErrors, USER_SCHEMA, validateSchemas } from '@axis/scim';
import { userSchema } from '../shared/user-schema';

export interface NormalisedNewUser {
  userName: string;
  externalId: string | null;
  active: boolean;
  attributes: Record<string, unknown>;
}

/**
 * Lenient ingress for `POST /Users`: libs/scim accepts what IdPs send (any-case names, string
 * booleans, readOnly echoes) and yields canonical attributes; this adds the product's rules.
 */
export function normaliseNewUser(body: unknown): NormalisedNewUser {
  validateSchemas(body, USER_SCHEMA);
  const { schemas: _schemas, id: _id, meta: _meta, groups: _groups, active, ...normalised } = normalizeNewResource(body, userSchema);
  const attributes = withoutSecrets(normalised);
  const userName = attributes['userName'];
  if (typeof userName !== 'string' || userName.trim() === '') {
    throw scimErrors.invalidValue('userName is required and must be a non-empty string');
  }
  const externalId = attributes['externalId'];
  return {
    userName,
    externalId: typeof externalId === 'string' ? externalId : null,
    active: active === undefined ? true : active === true,
    attributes,
  };
}
