import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { apiErrorOf } from './errors';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The CSRF token lives in memory only, like the session itself (its cookie is HttpOnly).
let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API says the session is gone (expired, revoked, key revoked). */
export function whenSignedOut(handler: (() => void) | null): void {
  onSignedOut = handler;
}

export const consoleMiddleware: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  async onResponse({ response, schemaPath }) {
    if (response.ok) return response;
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    if (response.status === 401 && !schemaPath.startsWith('/api/v1/console/')) onSignedOut?.();
    throw apiErrorOf(response.status, body);
  },
};

/** The console's one client: same-origin cookie session, CSRF header, errors as ApiError. */
export function createConsoleClient(options: { baseUrl?: string; fetch?: typeof fetch } = {}) {
  const client = createClient<paths>({ baseUrl: options.baseUrl ?? '', credentials: 'same-origin', ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(consoleMiddleware);
  return client;
}

export const api = createConsoleClient();
