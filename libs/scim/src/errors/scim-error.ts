export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** The response header that carries the product error code, for machines (see README "Error bodies"). */
export const ERROR_CODE_HEADER = 'Axis-Error-Code';

/** `scimType` values of RFC 7644 §3.12. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** Product error codes; the first five are documented to customers and are audit codes too. */
export const SCIM_ERROR_CODES = [
  'SCIM_UNAUTHORIZED',
  'SCIM_USER_CONFLICT',
  'SCIM_INVALID_FILTER',
  'SCIM_SCHEMA_MISMATCH',
  'SCIM_RATE_LIMITED',
  'SCIM_GROUP_CONFLICT',
  'SCIM_UNIQUENESS',
  'SCIM_INVALID_VALUE',
  'SCIM_INVALID_SYNTAX',
  'SCIM_INVALID_PATH',
  'SCIM_NO_TARGET',
  'SCIM_MUTABILITY',
  'SCIM_TOO_MANY',
  'SCIM_INVALID_VERSION',
  'SCIM_SENSITIVE',
  'SCIM_FORBIDDEN',
  'SCIM_NOT_FOUND',
  'SCIM_METHOD_NOT_ALLOWED',
  'SCIM_PRECONDITION_FAILED',
  'SCIM_PAYLOAD_TOO_LARGE',
  'SCIM_NOT_IMPLEMENTED',
  'SCIM_READ_TIMEOUT',
  'SCIM_INTERNAL',
] as const;

export type ScimErrorCode = (typeof SCIM_ERROR_CODES)[number];

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  /** `<product code>: <what went wrong>`: Entra and Okta show `detail` in their provisioning logs. */
  detail: string;
}

export interface ScimErrorInit {
  status: number;
  code: ScimErrorCode;
  detail: string;
  scimType?: ScimType;
  /** Only for 429 and 503: the value of the `Retry-After` header the gateway sends. */
  retryAfterSeconds?: number;
}

/** The one error type of this library: every failure caused by input is a ScimError. */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly code: ScimErrorCode;
  readonly detail: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: ScimErrorInit) {
    super(init.detail);
    this.name = 'ScimError';
    this.status = init.status;
    this.scimType = init.scimType;
    this.code = init.code;
    this.detail = init.detail;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  toBody(): ScimErrorBody {
    // Exactly the RFC's message schema: strict clients (Python's scim2 libraries) reject any other.
    const body: ScimErrorBody = {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      detail: `${this.code}: ${this.detail}`,
    };
    if (this.scimType !== undefined) body.scimType = this.scimType;
    return body;
  }
}

export function isScimError(error: unknown): error is ScimError {
  return error instanceof ScimError;
}

export const scimErrors = {
  invalidFilter: (detail: string) => new ScimError({ status: 400, scimType: 'invalidFilter', code: 'SCIM_INVALID_FILTER', detail }),
  tooMany: (detail: string) => new ScimError({ status: 400, scimType: 'tooMany', code: 'SCIM_TOO_MANY', detail }),
  invalidSyntax: (detail: string) => new ScimError({ status: 400, scimType: 'invalidSyntax', code: 'SCIM_INVALID_SYNTAX', detail }),
  invalidPath: (detail: string) => new ScimError({ status: 400, scimType: 'invalidPath', code: 'SCIM_INVALID_PATH', detail }),
  /** A write naming an attribute no schema of the resource defines, refused (`UnknownAttributePolicy` reject). */
  unknownAttribute: (path: string) =>
    new ScimError({ status: 400, scimType: 'invalidPath', code: 'SCIM_INVALID_PATH', detail: `Unknown attribute "${path}": no schema of this resource defines it` }),
  noTarget: (detail: string) => new ScimError({ status: 400, scimType: 'noTarget', code: 'SCIM_NO_TARGET', detail }),
  invalidValue: (detail: string) => new ScimError({ status: 400, scimType: 'invalidValue', code: 'SCIM_INVALID_VALUE', detail }),
  mutability: (detail: string) => new ScimError({ status: 400, scimType: 'mutability', code: 'SCIM_MUTABILITY', detail }),
  invalidVersion: (detail: string) => new ScimError({ status: 400, scimType: 'invalidVers', code: 'SCIM_INVALID_VERSION', detail }),
  schemaMismatch: (detail: string, scimType: 'invalidValue' | 'invalidSyntax' = 'invalidValue') =>
    new ScimError({ status: 400, scimType, code: 'SCIM_SCHEMA_MISMATCH', detail }),
  sensitive: (detail: string) => new ScimError({ status: 403, scimType: 'sensitive', code: 'SCIM_SENSITIVE', detail }),
  unauthorized: (detail = 'Missing or invalid bearer token') => new ScimError({ status: 401, code: 'SCIM_UNAUTHORIZED', detail }),
  forbidden: (detail: string) => new ScimError({ status: 403, code: 'SCIM_FORBIDDEN', detail }),
  notFound: (detail: string) => new ScimError({ status: 404, code: 'SCIM_NOT_FOUND', detail }),
  methodNotAllowed: (detail: string) => new ScimError({ status: 405, code: 'SCIM_METHOD_NOT_ALLOWED', detail }),
  userConflict: (detail: string) => new ScimError({ status: 409, scimType: 'uniqueness', code: 'SCIM_USER_CONFLICT', detail }),
  groupConflict: (detail: string) => new ScimError({ status: 409, scimType: 'uniqueness', code: 'SCIM_GROUP_CONFLICT', detail }),
  uniqueness: (detail: string) => new ScimError({ status: 409, scimType: 'uniqueness', code: 'SCIM_UNIQUENESS', detail }),
  preconditionFailed: (detail: string) => new ScimError({ status: 412, code: 'SCIM_PRECONDITION_FAILED', detail }),
  payloadTooLarge: (detail: string) => new ScimError({ status: 413, code: 'SCIM_PAYLOAD_TOO_LARGE', detail }),
  rateLimited: (retryAfterSeconds: number, detail = 'Request rate exceeded the workspace quota') =>
    new ScimError({ status: 429, code: 'SCIM_RATE_LIMITED', detail, retryAfterSeconds }),
  /** A read the store cancelled at its time budget: the service is busy for this request, not the request wrong. */
  readTimeout: (retryAfterSeconds: number, detail: string) => new ScimError({ status: 503, code: 'SCIM_READ_TIMEOUT', detail, retryAfterSeconds }),
  notImplemented: (detail: string) => new ScimError({ status: 501, code: 'SCIM_NOT_IMPLEMENTED', detail }),
  internal: (detail = 'Internal error') => new ScimError({ status: 500, code: 'SCIM_INTERNAL', detail }),
} as const;

/**
 * Runs `work` and turns anything that is not a ScimError into one, so callers that promise
 * "ScimError or result" keep that promise even if a bug slips through. The 500 keeps such bugs visible.
 */
export function guardScim<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ScimError) throw error;
    throw scimErrors.internal('Internal error while processing the SCIM request');
  }
}
