import { withoutSecrets } from '@axis/domain';
import { readNewResource, type ResourceSchema, scimErrors, type UnknownAttributePolicy, USER_SCHEMA, validateSchemas } from '@axis/scim';
import { userSchema } from '../shared/user-schema';

export interface NormalisedNewUser {
  userName: string;
  externalId: string | null;
  active: boolean;
  attributes: Record<string, unknown>;
  /** Body attributes no schema of the workspace defines: ignored, and listed on the event. */
  ignoredAttributes: string[];
}

/**
 * Lenient ingress for `POST /Users`: libs/scim accepts what IdPs send (any-case names, string
 * booleans, readOnly echoes) and yields canonical attributes; this adds the product's rules.
 * Attributes no schema of the workspace defines are ignored, or refused (400 invalidPath) when the
 * workspace's SCIM settings say `rejectUnknownAttributes`.
 */
export function normaliseNewUser(body: unknown, schema: ResourceSchema = userSchema, unknownAttributes: UnknownAttributePolicy = 'ignore'): NormalisedNewUser {
  validateSchemas(body, USER_SCHEMA);
  const { resource, ignoredAttributes } = readNewResource(body, schema, { unknownAttributes });
  const { schemas: _schemas, id: _id, meta: _meta, groups: _groups, active, ...normalised } = resource;
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
    ignoredAttributes: [...ignoredAttributes],
  };
}
