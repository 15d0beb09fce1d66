/**
 * The embedded default's bootstrap token (`DATA_DIR/scim-bearer-token`) is a real workspace token:
 * recorded as an event (digest only), listed and revocable through the admin API, and replaced on
 * the next start once revoked — the file always holds a token that works. Its admin key
 * (`DATA_DIR/admin-key`, for the console) follows the same lifecycle.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from '@axis/event-store';
import { freePort, startApp, stopApp, waitFor, type RunningApp } from '../support/processes';
import { http, readModelRows, runCli } from '../support/workspace-admin';

describe('the embedded default’s bootstrap token', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'axis-bootstrap-'));
  const deployment = { env: { DATA_DIR: dataDir } };
  let app: RunningApp | undefined;
  let baseUrl: string;

  afterEach(async () => {
    const state = expect.getState();
    if (app && state.assertionCalls !== state.numPassingAsserts) process.stderr.write(app.output());
    if (app) await stopApp(app);
    app = undefined;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function start(): Promise<RunningApp> {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const started = startApp('all-in-one', { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
    await waitFor('the banner', async () => started.output().includes('SCIM endpoint URL'), 30_000);
    return started;
  }
  const fileToken = () => readFileSync(join(dataDir, 'scim-bearer-token'), 'utf8').trim();
  const users = (token: string) => http(baseUrl, '/scim/v2/Users', { headers: { authorization: `Bearer ${token}` } });
  async function tokenEvents(prefix = 'TENANT_SCIM_TOKEN_') {
    const store = await createEventStore({ url: `sqlite:${join(dataDir, 'events.sqlite')}` });
    try {
      return (await store.readStream('workspace-default.settings')).filter((event) => event.type.startsWith(prefix));
    } finally {
      await store.close();
    }
  }
  const fileKey = () => readFileSync(join(dataDir, 'admin-key'), 'utf8').trim();
  const workspaceWith = (key: string) => http(baseUrl, '/api/v1/workspaces/default', { headers: { authorization: `Bearer ${key}` } });

  it('is recorded as a workspace token, revocable by an admin, and replaced once revoked', async () => {
    app = await start();
    const token = fileToken();
    expect(token).toMatch(/^scim_[0-9A-Za-z]{43}$/);
    expect((await users(token)).status).toBe(200);
    const digest = createHash('sha256').update(token).digest('hex');
    expect((await readModelRows(deployment, 'scim_tokens')).map((row) => row['token_sha256'])).toEqual([digest]);
    const [created] = await tokenEvents();
    expect(created).toMatchObject({ type: 'TENANT_SCIM_TOKEN_CREATED', data: { sha256: digest }, metadata: { actor: 'operator' } });
    expect(JSON.stringify(created)).not.toContain(token);

    // An admin (key from the CLI, on the same SQLite files) lists and revokes it.
    const key = runCli(deployment, ['admin-key', 'create', '--workspace', 'default', '--quiet']).stdout.trim();
    expect(key).toMatch(/^adm_/);
    const admin = (method: string, path: string) => http(baseUrl, `/api/v1/workspaces/default${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    const listed = await admin('GET', '/scim-tokens');
    expect(listed.json.items).toEqual([expect.objectContaining({ id: created!.data['tokenId'], prefix: token.slice(0, 13), createdBy: 'operator' })]);
    expect((await admin('DELETE', `/scim-tokens/${created!.data['tokenId']}`)).status).toBe(204);
    expect((await users(token)).status).toBe(401);

    // Restart: the revoked token in the file is replaced by a working one.
    await stopApp(app);
    app = await start();
    expect(app.output()).toContain('replaced now');
    const replacement = fileToken();
    expect(replacement).not.toBe(token);
    expect((await users(replacement)).status).toBe(200);
    expect((await users(token)).status).toBe(401);

    // Another restart records nothing new.
    await stopApp(app);
    app = await start();
    expect(fileToken()).toBe(replacement);
    expect((await users(replacement)).status).toBe(200);
    expect((await tokenEvents()).map((event) => event.type)).toEqual([
      'TENANT_SCIM_TOKEN_CREATED',
      'TENANT_SCIM_TOKEN_REVOKED',
      'TENANT_SCIM_TOKEN_CREATED',
    ]);
  });

  it('issues an admin key for the console into DATA_DIR/admin-key, prints the console URL, and replaces the key once revoked', async () => {
    app = await start();
    const keyFile = join(dataDir, 'admin-key');
    const key = fileKey();
    expect(key).toMatch(/^adm_[0-9A-Za-z]{43}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(app.output()).toContain(`Admin console:     ${baseUrl}/admin`);
    expect(app.output()).toContain(keyFile);
    expect(app.output()).not.toContain(key);
    expect((await workspaceWith(key)).status).toBe(200);
    const signedIn = await http(baseUrl, '/api/v1/console/sessions', { method: 'POST', body: { workspace: 'default', adminKey: key } });
    expect(signedIn.status).toBe(201);
    expect(signedIn.json.admin.name).toBe('Embedded default admin');
    const digest = createHash('sha256').update(key).digest('hex');
    const embedded = (await tokenEvents('TENANT_ADMIN_KEY_')).filter((event) => event.data['description'] === 'Embedded default admin');
    expect(embedded).toEqual([expect.objectContaining({ type: 'TENANT_ADMIN_KEY_CREATED', data: expect.objectContaining({ sha256: digest }), metadata: expect.objectContaining({ actor: 'operator' }) })]);

    // The operator revokes it; the next start writes and records a new one.
    expect(runCli(deployment, ['admin-key', 'revoke', '--workspace', 'default', key.slice(0, 12)]).status).toBe(0);
    expect((await workspaceWith(key)).status).toBe(401);
    await stopApp(app);
    app = await start();
    expect(app.output()).toMatch(/Admin key: +in .*admin-key \(the one there was revoked; replaced now\)/);
    const replacement = fileKey();
    expect(replacement).not.toBe(key);
    expect((await workspaceWith(replacement)).status).toBe(200);

    // Another restart records nothing new.
    await stopApp(app);
    app = await start();
    expect(fileKey()).toBe(replacement);
    const types = (await tokenEvents('TENANT_ADMIN_KEY_'))
      .filter((event) => event.type === 'TENANT_ADMIN_KEY_REVOKED' || event.data['description'] === 'Embedded default admin')
      .map((event) => event.type);
    expect(types).toEqual(['TENANT_ADMIN_KEY_CREATED', 'TENANT_ADMIN_KEY_REVOKED', 'TENANT_ADMIN_KEY_CREATED']);
  });
});
