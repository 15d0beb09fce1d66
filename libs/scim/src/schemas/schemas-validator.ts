import { scimErrors } from '../errors/scim-error';
import { ONELOGIN_CORE_SCHEMA } from './schema-uris';

const SCIM_1_URI_PREFIX = 'urn:scim:schemas:';

/**
 * Checks that a request body declares the SCIM 2.0 core schema it must carry (RFC 7643 §3), or
 * OneLogin's name for it. Unknown extra URIs (e.g. Entra's ADSCIM group URI) are accepted; SCIM
 * 1.1 URIs are not.
 */
export function validateSchemas(body: unknown, expectedCoreSchema: string): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw scimErrors.invalidSyntax('Request body must be a JSON object');
  }
  const schemas = (body as Record<string, unknown>)['schemas'];
  if (!Array.isArray(schemas)) {
    throw scimErrors.schemaMismatch(`Request body must carry a "schemas" array including ${expectedCoreSchema}`, 'invalidSyntax');
  }
  const accepted = [expectedCoreSchema.toLowerCase(), ONELOGIN_CORE_SCHEMA];
  if (schemas.some((uri) => typeof uri === 'string' && accepted.includes(uri.toLowerCase()))) return;
  const isScim1 = schemas.some((uri) => typeof uri === 'string' && uri.toLowerCase().startsWith(SCIM_1_URI_PREFIX));
  throw scimErrors.schemaMismatch(
    isScim1
      ? `SCIM 1.1 schemas are not supported; "schemas" must include ${expectedCoreSchema}`
      : `"schemas" must include ${expectedCoreSchema}`,
  );
}
