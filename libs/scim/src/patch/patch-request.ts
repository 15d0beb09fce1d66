import { scimErrors } from '../errors/scim-error';
import { PATCH_OP_SCHEMA } from '../schemas/schema-uris';
import { getProperty, isJsonObject } from '../schemas/resource-access';
import { PATCH_MAX_OPERATIONS } from '../limits/resource-limits';

export type PatchOperationName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  readonly op: PatchOperationName;
  /** Undefined when absent or blank. */
  readonly path: string | undefined;
  readonly value: unknown;
  readonly hasValue: boolean;
}

/**
 * Reads a PatchOp body leniently: `Operations` in any letter case (ssoready saw `operations`),
 * op names in any case (Entra's `Replace`), a blank path as no path. A `schemas` array, when
 * present, must list the PatchOp URN.
 */
export function normalizePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) throw scimErrors.invalidSyntax('PATCH body must be a JSON object');
  const schemas = getProperty(body, 'schemas');
  if (schemas !== undefined) {
    const lc = PATCH_OP_SCHEMA.toLowerCase();
    if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === lc)) {
      throw scimErrors.invalidSyntax(`PATCH body "schemas" must include ${PATCH_OP_SCHEMA}`);
    }
  }
  const operations = getProperty(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) throw scimErrors.invalidSyntax('PATCH body must carry a non-empty "Operations" array');
  if (operations.length > PATCH_MAX_OPERATIONS) {
    throw scimErrors.payloadTooLarge(`A PATCH may carry at most ${PATCH_MAX_OPERATIONS} operations; this one has ${operations.length}`);
  }
  return operations.map((raw, index) => {
    if (!isJsonObject(raw)) throw scimErrors.invalidSyntax(`Operation ${index + 1} must be an object`);
    const opValue = getProperty(raw, 'op');
    const op = typeof opValue === 'string' ? opValue.trim().toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw scimErrors.invalidSyntax(`Operation ${index + 1} has an unknown "op"`);
    const pathValue = getProperty(raw, 'path');
    if (pathValue !== undefined && pathValue !== null && typeof pathValue !== 'string') throw scimErrors.invalidPath(`Operation ${index + 1} has a non-string "path"`);
    const path = typeof pathValue === 'string' && pathValue.trim() !== '' ? pathValue : undefined;
    const value = getProperty(raw, 'value');
    return { op, path, value, hasValue: value !== undefined };
  });
}
