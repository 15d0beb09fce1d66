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

  async function start(port: number, env: Record<string, string> = {}): Promise<RunningApp> {
    const started = startApp('all-in-one', { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', ...env });
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

  it.each([
    ['on a worker thread (the default)', {}, true],
    ['on the main thread with CONSUMER_THREAD=false', { CONSUMER_THREAD: 'false' }, false],
  ])('runs the projections and reactors %s, reports them on /metrics and stops them cleanly', async (_how, env, onWorker) => {
    const port = await freePort();
    app = await start(port, env);
    expect(app.output().includes('consumers running on a worker thread')).toBe(onWorker);
    const token = readFileSync(join(dataDir, 'scim-bearer-token'), 'utf8').trim();
    const userName = `metrics-${onWorker ? 'worker' : 'main'}@example.com`;
    const created = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName }),
    });
    expect(created.status).toBe(201);

    const metrics = await waitFor(
      'every consumer to report lag 0',
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return ['members', 'workspaces', 'session-revoker', 'audit', 'webhooks'].every((name) => body.includes(`axis_consumer_lag_events{consumer="${name}"} 0`))
          ? body
          : null;
      },
      20_000,
    );
    expect(metrics).toContain('axis_consumer_state{consumer="members",state="running"} 1');
    expect(metrics).toMatch(/axis_consumer_events_processed_total\{consumer="members"\} [1-9]/);
    // The gateway's own series and the process metrics appear once, next to the consumers'.
    expect(metrics).toMatch(/axis_http_requests_total\{method="POST",route="\/scim\/v2\/Users",status="201"\} 1\n/);
    expect(metrics.match(/^# TYPE axis_process_resident_memory_bytes /gm)).toHaveLength(1);
    expect(metrics.match(/^axis_process_resident_memory_bytes /gm)).toHaveLength(1);

    const exited = new Promise<number | null>((done) => app!.process.once('exit', (code) => done(code)));
    app.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(app.output()).toContain('consumers stopped');
    expect(app.output()).toContain('stores closed');
  });
});
