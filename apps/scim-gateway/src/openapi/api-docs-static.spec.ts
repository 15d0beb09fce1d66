import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminConsoleDir, registerAdminConsole } from '../console/serve-console/admin-console-static';
import { API_DOCS_HEADERS, registerApiDocs, swaggerUiDistDir } from './api-docs-static';

describe('serving the API docs under /api/docs', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    // As in the gateway: the console's @fastify/static registration comes first.
    await registerAdminConsole(app, adminConsoleDir(undefined));
    await registerApiDocs(app);
    await app.ready();
  });
  afterAll(() => app.close());

  const expectSecurityHeaders = (headers: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(API_DOCS_HEADERS)) expect(headers[name.toLowerCase()]).toBe(value);
  };

  it('answers /api/docs with a page that loads only its own files, revalidated', async () => {
    for (const url of ['/api/docs', '/api/docs/']) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expectSecurityHeaders(page.headers);
      const loaded = [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1]);
      expect(loaded).toEqual(['/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/init.js']);
    }
    const init = await app.inject({ method: 'GET', url: '/api/docs/init.js' });
    expect(init.statusCode).toBe(200);
    expect(init.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(init.body).toContain("url: '/api/docs-json'");
    expect(init.body).toContain('validatorUrl: null');
  });

  it.each([
    ['swagger-ui.css', 'text/css'],
    ['swagger-ui-bundle.js', 'javascript'],
  ])('sends swagger-ui-dist’s %s, cached for a day and revalidated by ETag', async (file, type) => {
    const answer = await app.inject({ method: 'GET', url: `/api/docs/${file}` });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain(type);
    expect(answer.headers['cache-control']).toBe('public, max-age=86400');
    expect(answer.rawPayload.equals(readFileSync(join(swaggerUiDistDir(), file)))).toBe(true);
    expectSecurityHeaders(answer.headers);
    const again = await app.inject({ method: 'GET', url: `/api/docs/${file}`, headers: { 'if-none-match': String(answer.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it.each(['/api/docs/index.html', '/api/docs/swagger-initializer.js', '/api/docs/swagger-ui-bundle.js.map', '/api/docs/package.json', '/api/docs/../package.json', '/api/docs/%2e%2e/package.json'])(
    'serves no other file of swagger-ui-dist nor anything outside it: %s',
    async (url) => {
      const answer = await app.inject({ method: 'GET', url });
      expect([403, 404]).toContain(answer.statusCode);
      expect(answer.body).not.toContain('petstore');
    },
  );
});
