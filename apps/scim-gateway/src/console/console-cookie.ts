import type { HttpConfig } from '@axis/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/cookie';

/** The admin console's session cookie: an opaque `con_…` secret; the server keeps its SHA-256. */
export const CONSOLE_COOKIE = 'axis_console';

function cookieOptions(config: HttpConfig) {
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: config.publicUrlIsHttps() };
}

export function consoleCookieOf(request: FastifyRequest): string | null {
  const value = request.cookies?.[CONSOLE_COOKIE];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A browser-session cookie: the server decides expiry (idle and absolute), not the browser. */
export function setConsoleCookie(reply: FastifyReply, secret: string, config: HttpConfig): void {
  void reply.setCookie(CONSOLE_COOKIE, secret, cookieOptions(config));
}

export function clearConsoleCookie(reply: FastifyReply, config: HttpConfig): void {
  void reply.clearCookie(CONSOLE_COOKIE, cookieOptions(config));
}
