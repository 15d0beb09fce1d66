import { timingSafeEqual } from 'node:crypto';
import { ForbiddenException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Methods that change state: the cookie alone never authorises them. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const CSRF_HEADER = 'x-csrf-token';

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE_METHODS.has(method.toUpperCase());
}

/**
 * Why a cross-site request with the console cookie is refused, or null when it is not. The cookie
 * is SameSite=Strict already; the double check (a per-session token that only the console's own
 * JavaScript can read from the session answer, and the browser's Origin) also holds for browsers
 * or proxies that get SameSite wrong.
 */
export function originRefusal(request: Pick<FastifyRequest, 'headers' | 'protocol'>, publicUrl: string): string | null {
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  const allowed = [new URL(publicUrl).origin];
  const host = request.headers.host;
  if (host) allowed.push(`${request.protocol}://${host}`);
  return allowed.includes(origin) ? null : `Origin ${origin} is not this service`;
}

export function csrfRefusal(
  request: Pick<FastifyRequest, 'headers' | 'protocol' | 'method'>,
  csrfToken: string,
  publicUrl: string,
): string | null {
  if (!isUnsafeMethod(request.method)) return null;
  const presented = request.headers[CSRF_HEADER];
  if (typeof presented !== 'string' || !sameSecret(presented, csrfToken)) return `Missing or wrong ${CSRF_HEADER} header`;
  return originRefusal(request, publicUrl);
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function csrfError(message: string): ForbiddenException {
  return new ForbiddenException({ error: 'csrf', message });
}
