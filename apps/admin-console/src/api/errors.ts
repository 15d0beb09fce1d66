/**
 * Errors the console shows in words, each with the product code the API returned so an admin
 * can match it with the documentation's troubleshooting table.
 */
const WORDS: Record<string, string> = {
  unauthorized: 'You are not signed in, or the workspace or admin key is wrong.',
  csrf: 'The request was refused because it did not come from this console. Reload the page and try again.',
  forbidden: 'Your admin key is not allowed to do this.',
  not_found: 'It does not exist (any more).',
  invalid_request: 'The request was not valid.',
  conflict: 'It conflicts with the current state.',
  last_admin_key: 'This is the workspace’s last active admin key: create another one before revoking it.',
  invalid_target: 'The webhook address was refused.',
  rate_limited: 'Too many requests: wait a moment and try again.',
  SCIM_UNAUTHORIZED: 'Missing or invalid bearer token.',
  SCIM_USER_CONFLICT: 'The incoming user has the same email as an existing local account.',
  SCIM_INVALID_FILTER: 'The identity provider issued a SCIM filter that is not supported.',
  SCIM_SCHEMA_MISMATCH: 'The identity provider’s schemas do not include the SCIM 2.0 user schema.',
  SCIM_RATE_LIMITED: 'The identity provider exceeded the workspace’s request quota.',
  network: 'The console could not reach the server. Check your connection and try again.',
};

/** Guidance for the product error codes of the documentation's troubleshooting table. */
export const FIXES: Record<string, string> = {
  SCIM_UNAUTHORIZED: 'Generate a new token and update the identity provider.',
  SCIM_USER_CONFLICT: 'Merge the duplicate in Settings → Members.',
  SCIM_INVALID_FILTER: 'Reduce the connector’s filter complexity — userName eq is always supported.',
  SCIM_SCHEMA_MISMATCH: 'Update the connector to SCIM 2.0; SCIM 1.1 is not supported.',
  SCIM_RATE_LIMITED: 'Pace the initial bulk import; the connector should retry after the documented backoff.',
};

export function wordsFor(code: string): string | undefined {
  return WORDS[code];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The product code: the body's `error` (admin API) or `scimType`/detail code, else `http_<status>`. */
    readonly code: string,
    /** The server's own message, when it sent one. */
    readonly detail: string | null,
  ) {
    super(describe(status, code, detail));
    this.name = 'ApiError';
  }
}

function describe(status: number, code: string, detail: string | null): string {
  const words = WORDS[code] ?? (status >= 500 ? 'The server failed to answer.' : 'The request failed.');
  return detail && detail !== words ? `${words} ${detail}` : words;
}

/** Reads an error response of the admin API (`{error, message}`), or anything else, into an ApiError. */
export function apiErrorOf(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const code = typeof record['error'] === 'string' ? record['error'] : `http_${status}`;
    const raw = record['message'];
    const message = Array.isArray(raw) ? raw.filter((part) => typeof part === 'string').join('; ') : typeof raw === 'string' ? raw : null;
    return new ApiError(status, code, message);
  }
  return new ApiError(status, `http_${status}`, typeof body === 'string' && body.length < 300 ? body : null);
}

export function errorText(error: unknown): { text: string; code: string | null } {
  if (error instanceof ApiError) return { text: error.message, code: error.code };
  if (error instanceof TypeError) return { text: WORDS['network']!, code: 'network' };
  return { text: error instanceof Error ? error.message : String(error), code: null };
}
