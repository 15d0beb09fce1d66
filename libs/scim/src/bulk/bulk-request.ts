import { ScimError, scimErrors } from '../errors/scim-error';
import { BULK_MAX_OPERATIONS } from '../schemas/discovery-documents';
import { getProperty, isJsonObject } from '../schemas/resource-access';
import { BULK_REQUEST_SCHEMA } from '../schemas/schema-uris';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation of a BulkRequest (RFC 7644 §3.7), as sent: bulkId references not yet resolved. */
export interface BulkOperation {
  /** Its place in the request: results are answered in this order. */
  index: number;
  method: BulkMethod;
  /** `/Users`, `/Groups` for POST; `/Users/{id}`, `/Groups/{id}` (the id may be `bulkId:…`) otherwise. */
  path: string;
  bulkId?: string;
  /** Sent as If-Match. */
  version?: string;
  data?: unknown;
}

/** An operation that cannot be run as sent: answered with this error in its place. */
export interface RefusedBulkOperation {
  index: number;
  method: string;
  bulkId?: string;
  error: ScimError;
}

export interface BulkRequest {
  /** Stop after this many failed operations (RFC 7644 §3.7.3); undefined: run them all. */
  failOnErrors?: number;
  operations: BulkOperation[];
  refused: RefusedBulkOperation[];
}

const METHODS: readonly BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const COLLECTION_PATH = /^\/(Users|Groups)$/;
const RESOURCE_PATH = /^\/(Users|Groups)\/([^/?#]+)$/;

/**
 * Parses a BulkRequest. What makes the whole request unusable (not an object, no BulkRequest
 * schema, no Operations array, duplicate bulkIds) throws; more than BULK_MAX_OPERATIONS is a 413.
 * An operation that is malformed on its own (unknown method, a path outside /Users and /Groups, a
 * POST without bulkId, no data) is refused in its place, and the others still run.
 */
export function parseBulkRequest(body: unknown, maxOperations = BULK_MAX_OPERATIONS): BulkRequest {
  if (!isJsonObject(body)) throw scimErrors.invalidSyntax('Bulk body must be a JSON object');
  const schemas = getProperty(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === BULK_REQUEST_SCHEMA.toLowerCase())) {
    throw scimErrors.invalidSyntax(`Bulk body "schemas" must include ${BULK_REQUEST_SCHEMA}`);
  }
  const failOnErrors = getProperty(body, 'failOnErrors');
  if (failOnErrors !== undefined && (!Number.isInteger(failOnErrors) || (failOnErrors as number) < 1)) {
    throw scimErrors.invalidValue('"failOnErrors" must be an integer of at least 1');
  }
  const operations = getProperty(body, 'Operations');
  if (!Array.isArray(operations)) throw scimErrors.invalidSyntax('Bulk body must have an "Operations" array');
  if (operations.length > maxOperations) {
    throw scimErrors.payloadTooLarge(`A bulk request may hold at most ${maxOperations} operations (maxOperations); this one holds ${operations.length}`);
  }
  const request: BulkRequest = { operations: [], refused: [], ...(failOnErrors === undefined ? {} : { failOnErrors: failOnErrors as number }) };
  const bulkIds = new Set<string>();
  operations.forEach((operation, index) => {
    const parsed = parseOperation(operation, index);
    if ('error' in parsed) {
      request.refused.push(parsed);
      return;
    }
    if (parsed.bulkId !== undefined) {
      if (bulkIds.has(parsed.bulkId)) throw scimErrors.invalidValue(`bulkId "${parsed.bulkId}" is used by more than one operation`);
      bulkIds.add(parsed.bulkId);
    }
    request.operations.push(parsed);
  });
  return request;
}

function parseOperation(operation: unknown, index: number): BulkOperation | RefusedBulkOperation {
  if (!isJsonObject(operation)) return { index, method: '', error: scimErrors.invalidSyntax(`Operation ${index + 1} must be a JSON object`) };
  const methodValue = getProperty(operation, 'method');
  const method = typeof methodValue === 'string' ? methodValue.toUpperCase() : '';
  const bulkIdValue = getProperty(operation, 'bulkId');
  const bulkId = typeof bulkIdValue === 'string' && bulkIdValue !== '' ? bulkIdValue : undefined;
  const refuse = (error: ScimError): RefusedBulkOperation => ({ index, method, ...(bulkId === undefined ? {} : { bulkId }), error });
  if (!METHODS.includes(method as BulkMethod)) return refuse(scimErrors.invalidValue(`Operation ${index + 1}: "method" must be one of ${METHODS.join(', ')}`));
  if (bulkIdValue !== undefined && bulkId === undefined) return refuse(scimErrors.invalidValue(`Operation ${index + 1}: "bulkId" must be a non-empty string`));
  const path = getProperty(operation, 'path');
  if (typeof path !== 'string') return refuse(scimErrors.invalidValue(`Operation ${index + 1}: "path" must be a string`));
  if (method === 'POST') {
    if (!COLLECTION_PATH.test(path)) return refuse(scimErrors.invalidPath(`Operation ${index + 1}: a POST path must be /Users or /Groups, not "${path}"`));
    if (bulkId === undefined) return refuse(scimErrors.invalidValue(`Operation ${index + 1}: a POST must carry a "bulkId" (RFC 7644 §3.7)`));
  } else if (!RESOURCE_PATH.test(path)) {
    return refuse(scimErrors.invalidPath(`Operation ${index + 1}: a ${method} path must be /Users/{id} or /Groups/{id}, not "${path}"`));
  }
  const version = getProperty(operation, 'version');
  if (version !== undefined && typeof version !== 'string') return refuse(scimErrors.invalidValue(`Operation ${index + 1}: "version" must be a string`));
  const data = getProperty(operation, 'data');
  if (method !== 'DELETE' && !isJsonObject(data)) return refuse(scimErrors.invalidSyntax(`Operation ${index + 1}: a ${method} must carry a "data" object`));
  return {
    index,
    method: method as BulkMethod,
    path,
    ...(bulkId === undefined ? {} : { bulkId }),
    ...(version === undefined ? {} : { version }),
    ...(method === 'DELETE' ? {} : { data }),
  };
}
