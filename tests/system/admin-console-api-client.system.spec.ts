import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, REPO_ROOT, startApp, stopApp, waitFor, type RunningApp } from '../support/processes';

const API_DIR = resolve(REPO_ROOT, 'apps/admin-console/src/api');
const GENERATOR = resolve(REPO_ROOT, 'apps/admin-console/scripts/generate-api-client.mjs');
const REGENERATE = "The admin console's generated API client is stale: run `npm run -s generate:api` and commit apps/admin-console/src/api.";

function firstDifference(committed: string, served: string): string {
  const [a, b] = [committed.split('\n'), served.split('\n')];
  for (let line = 0; line < Math.max(a.length, b.length); line++) {
    if (a[line] !== b[line]) return `line ${line + 1}: committed ${JSON.stringify(a[line] ?? '<end>')}, served ${JSON.stringify(b[line] ?? '<end>')}`;
  }
  return 'none';
}

/**
 * The console's client is generated from the gateway's OpenAPI document; this fails when the
 * document a real gateway serves no longer yields the committed types, so UI and API cannot drift.
 */
describe('admin console API client (generated from /api/docs-json)', () => {
  let gateway: RunningApp | undefined;
  let dir: string;
  let served: unknown;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'axis-console-client-'));
    const port = await freePort();
    gateway = startApp('scim-gateway', { DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1' });
    served = await waitFor('the gateway to serve /api/docs-json', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/api/docs-json`);
      return response.ok ? ((await response.json()) as unknown) : undefined;
    });
  });

  afterAll(async () => {
    if (gateway) await stopApp(gateway);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the committed schema.d.ts is what openapi-typescript makes of the served document', () => {
    const documentFile = join(dir, 'served-openapi.json');
    writeFileSync(documentFile, JSON.stringify(served));
    // openapi-typescript through the generator itself (its dependencies are ESM-only).
    const rendered = execFileSync(process.execPath, [GENERATOR, '--render', documentFile], { cwd: REPO_ROOT, encoding: 'utf8' });
    const committed = readFileSync(join(API_DIR, 'schema.d.ts'), 'utf8');
    if (committed !== rendered) throw new Error(`${REGENERATE}\nFirst difference: ${firstDifference(committed, rendered)}`);
  });

  it('describes the body of every successful admin API answer, so the console has no hand-written types', () => {
    type Operation = { requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
    const paths = (served as { paths: Record<string, Record<string, Operation>> }).paths;
    // The export streams an attachment (CSV, JSON, NDJSON) that the console downloads as a file.
    const attachments = new Set(['GET /api/v1/workspaces/{slug}/audit/export']);
    const undescribed: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (attachments.has(name)) continue;
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status.startsWith('2') && status !== '204' && !response.content?.['application/json']?.schema) undescribed.push(`${name} ${status}`);
        }
        if ((method === 'post' || method === 'put' || method === 'patch') && !operation.requestBody && !/\/(merge|deprecate|restore|redeliver)$/.test(path)) {
          undescribed.push(`${name} request body`);
        }
      }
    }
    expect(undescribed).toEqual([]);
  });

  it('the committed openapi.json is the served document', () => {
    const committed: unknown = JSON.parse(readFileSync(join(API_DIR, 'openapi.json'), 'utf8'));
    if (JSON.stringify(committed) !== JSON.stringify(served)) throw new Error(REGENERATE);
  });
});
