/**
 * `npm start`'s process on the embedded default: SQLite files under DATA_DIR, no Kafka. First
 * start creates the workspace and a bootstrap token; the SCIM discovery answers; Ctrl-C exits
 * cleanly and a restart finds everything it stored.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp, stopApp, waitFor, type RunningApp } from '../support/processes';

describe('all-in-one on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'axis-embedded-'));
  let app: RunningApp | undefined;

  afterEach(async () => {
    if (app) await stopApp(app, 'SIGKILL');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function start(port: number): Promise<RunningApp> {
    const started = startApp('all-in-one', { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
    await waitFor('the banner', async () => started.output().includes('SCIM endpoint URL'), 30_000);
    return started;
  }

  it('serves SCIM with the bootstrap token, stops cleanly on SIGINT and keeps its data', async () => {
    const port = await freePort();
    app = await start(port);
    expect(app.output()).toContain(`http://127.0.0.1:${port}/scim/v2`);
    expect(app.output()).toContain('Workspace:         default (created now)');
    const tokenFile = join(dataDir, 'scim-bearer-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).toMatch(/^scim_[0-9A-Za-z]{43}$/);
    expect(app.output()).not.toContain(token);
    const auth = { authorization: `Bearer ${token}` };

    const config = await fetch(`http://127.0.0.1:${port}/scim/v2/ServiceProviderConfig`, { headers: auth });
    expect(config.status).toBe(200);
    expect(((await config.json()) as { patch: { supported: boolean } }).patch.supported).toBe(true);

    const created = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'grace@example.com' }),
    });
    expect(created.status).toBe(201);

    const exited = new Promise<number | null>((done) => app!.process.once('exit', (code) => done(code)));
    app.process.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(app.output()).toContain('stores closed');

    app = await start(port);
    expect(app.output()).toContain('Workspace:         default\n');
    const listed = await fetch(
      `http://127.0.0.1:${port}/scim/v2/Users?filter=${encodeURIComponent('userName eq "grace@example.com"')}`,
      { headers: auth },
    );
    expect(((await listed.json()) as { totalResults: number }).totalResults).toBe(1);
  });
});
