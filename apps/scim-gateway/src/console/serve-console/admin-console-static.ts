import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const ADMIN_CONSOLE_PATH = '/admin';

/** Vite's hashed output: a name never changes content, so caches keep it for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the hashed assets of one release: no cache may keep it, so a release is picked up at once. */
const NEVER_STORED = 'no-store';

/** On every answer under /admin: the console loads nothing from outside the product, and is never framed. */
export const ADMIN_CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const NOT_BUILT = `The admin console is not built.

Build it from the repository root with:

  npm run build -w apps/admin-console

(or set ADMIN_CONSOLE_DIR to a directory holding the built console's index.html), then reload.
`;

/**
 * Where the built console is: ADMIN_CONSOLE_DIR, else `apps/admin-console/dist` beside this
 * package (found from this file, so it holds for `src/` under ts-jest and `dist/` alike).
 */
export function adminConsoleDir(configured: string | undefined): string {
  if (configured) return resolve(configured);
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return resolve(dir, '../admin-console/dist');
}

/**
 * Serves the single-page console under /admin with @fastify/static's `sendFile`: files that
 * exist are sent (hashed `assets/` cached for good, anything else revalidated); every other path
 * is a deep link of the SPA and gets `index.html`, never stored by any cache so a new release is
 * picked up at once. A missing file under `assets/` is a 404 rather than HTML a browser would run as script.
 * Without a built console, /admin answers 503 saying how to build it. The directory is looked at
 * per request, so building the console does not need a restart.
 */
export async function registerAdminConsole(fastify: FastifyInstance, dir: string): Promise<void> {
  const root = resolve(dir);
  await fastify.register(fastifyStatic, { root, serve: false });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.headers(ADMIN_CONSOLE_HEADERS);
    if (!isFile(join(root, 'index.html'))) {
      return reply.code(503).header('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT);
    }
    const wanted = fileOf(root, (request.params as { '*'?: string })['*'] ?? '');
    if (wanted) {
      void reply.header('Cache-Control', cacheControlOf(wanted));
      return reply.sendFile(wanted, root, { cacheControl: false });
    }
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith(`${ADMIN_CONSOLE_PATH}/assets/`)) {
      return reply.code(404).header('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send('Not found\n');
    }
    void reply.header('Cache-Control', NEVER_STORED);
    return reply.type('text/html; charset=utf-8').sendFile('index.html', root, { cacheControl: false });
  };
  fastify.get(ADMIN_CONSOLE_PATH, handler);
  fastify.get(`${ADMIN_CONSOLE_PATH}/*`, handler);
}

function cacheControlOf(file: string): string {
  if (file.startsWith(`assets${sep}`)) return IMMUTABLE;
  return file === 'index.html' ? NEVER_STORED : 'no-cache';
}

/** The path, relative to root, of an existing regular file the URL names; never outside root. */
function fileOf(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded === '' || decoded.includes('\0')) return null;
  const file = resolve(root, decoded);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || inside.split(sep).some((part) => part.startsWith('.'))) return null;
  return isFile(file) ? inside : null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
