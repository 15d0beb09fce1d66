import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { ADMIN_CONSOLE_HEADERS, adminConsoleDir, registerAdminConsole } from './admin-console-static';

const INDEX = '<!doctype html><title>AxisSynapse console</title><script type="module" src="/admin/assets/index-abc123.js"></script>';
const SCRIPT = 'console.log("console")';

describe('serving the admin console under /admin', () => {
  let dir: string;
  let app: FastifyInstance;

  async function serve(from: string): Promise<FastifyInstance> {
    const fastify = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await registerAdminConsole(fastify, from);
    await fastify.ready();
    return fastify;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'axis-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, '.secret'), 'not served');
    app = await serve(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectSecurityHeaders = (headers: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(ADMIN_CONSOLE_HEADERS)) expect(headers[name.toLowerCase()]).toBe(value);
  };

  it.each(['/admin', '/admin/', '/admin/index.html', '/admin/settings/identity/scim', '/admin/members/123?tab=history'])('answers %s with index.html, never cached', async (url) => {
    const answer = await app.inject({ method: 'GET', url });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe(INDEX);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(answer.headers);
  });

  it('serves hashed assets as immutable for a year', async () => {
    const answer = await app.inject({ method: 'GET', url: '/admin/assets/index-abc123.js' });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe(SCRIPT);
    expect(answer.headers['content-type']).toContain('javascript');
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(answer.headers);
  });

  it('serves other files revalidated, and a missing asset as 404 rather than HTML', async () => {
    const icon = await app.inject({ method: 'GET', url: '/admin/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    const missing = await app.inject({ method: 'GET', url: '/admin/assets/gone-999.js' });
    expect(missing.statusCode).toBe(404);
    expectSecurityHeaders(missing.headers);
  });

  it('never serves a file outside the directory, nor a dot file', async () => {
    for (const url of ['/admin/..%2f..%2fetc%2fpasswd', '/admin/%2e%2e/%2e%2e/etc/passwd', '/admin/.secret']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.body).not.toContain('root:');
      expect(answer.body).not.toContain('not served');
    }
  });

  it('answers 503 with how to build the console when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'axis-console-empty-'));
    const unbuilt = await serve(empty);
    try {
      for (const url of ['/admin', '/admin/members']) {
        const answer = await unbuilt.inject({ method: 'GET', url });
        expect(answer.statusCode).toBe(503);
        expect(answer.headers['content-type']).toContain('text/plain');
        expect(answer.body).toContain('not built');
        expect(answer.body).toContain('npm run build -w apps/admin-console');
        expectSecurityHeaders(answer.headers);
      }
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('finds apps/admin-console/dist beside the gateway package unless ADMIN_CONSOLE_DIR says otherwise', () => {
    expect(adminConsoleDir(undefined)).toBe(resolve(__dirname, '../../../../admin-console/dist'));
    expect(adminConsoleDir('/srv/console')).toBe('/srv/console');
  });
});
