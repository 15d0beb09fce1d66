/**
 * Admin console sign-in and admin-key lifecycle over real HTTP, on both deployments: the embedded
 * default (SQLite, one process) and gateway + projector + notifier on PostgreSQL. Workspaces and
 * their first admin keys come from the operator CLI; everything else goes over HTTP.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Deployment, type DeploymentKind, startDeployment } from '../support/deployments';
import { waitFor } from '../support/processes';
import { createWorkspace, http, type HttpAnswer, readModelRows, runCli } from '../support/workspace-admin';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];

describe.each(kinds)('admin console sign-in and admin keys on %s', (kind) => {
  const consoleDir = mkdtempSync(join(tmpdir(), 'axis-console-dist-'));
  let deployment: Deployment;
  let acmeKey: string;
  let origin: string;

  beforeAll(async () => {
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(consoleDir, 'assets', 'app-1a2b3c.js'), 'export {}');
    deployment = await startDeployment(kind, { ADMIN_CONSOLE_DIR: consoleDir });
    origin = deployment.baseUrl;
    acmeKey = createWorkspace(deployment, 'acme');
    createWorkspace(deployment, 'beta');
  });
  afterAll(async () => {
    await deployment?.stop();
    rmSync(consoleDir, { recursive: true, force: true });
  });
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  const signIn = (workspace: string, adminKey: string, headers: Record<string, string> = {}) =>
    http(deployment.baseUrl, '/api/v1/console/sessions', { method: 'POST', body: { workspace, adminKey }, headers });
  const cookieOf = (answer: HttpAnswer): string => {
    const setCookie = answer.headers['set-cookie']?.[0] ?? '';
    return setCookie.split(';')[0]!;
  };
  const withCookie = (cookie: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
    http(deployment.baseUrl, path, { method, body: options.body, headers: { cookie, ...options.headers } });
  const withKey = (key: string, method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, path, { method, body, headers: { authorization: `Bearer ${key}` } });

  it('signs in with an admin key, guards writes against CSRF, keeps workspaces apart, and signs out', async () => {
    const signedIn = await signIn('acme', acmeKey);
    expect(signedIn.status).toBe(201);
    const setCookie = signedIn.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(/^axis_console=con_[0-9A-Za-z]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure'); // PUBLIC_URL is http here
    expect(signedIn.json).toEqual({
      workspace: 'acme',
      admin: { keyId: expect.any(String), keyPrefix: acmeKey.slice(0, 12), name: acmeKey.slice(0, 12) },
      csrfToken: expect.any(String),
      expiresAt: expect.any(String),
    });
    const cookie = cookieOf(signedIn);
    const csrf: string = signedIn.json.csrfToken;
    // The server keeps the cookie secret's SHA-256 only.
    const secret = cookie.slice('axis_console='.length);
    const stored = await readModelRows(deployment, 'console_sessions');
    expect(stored.map((row) => row['secret_sha256'])).toContain(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);

    // Wrong key, another workspace's key, an unknown workspace: the same 401.
    for (const [workspace, key] of [['acme', `adm_${'x'.repeat(43)}`], ['beta', acmeKey], ['nope', acmeKey], ['acme', 'not-a-key']]) {
      const refused = await signIn(workspace!, key!);
      expect(refused.status).toBe(401);
      expect(refused.json).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    // Another site cannot sign a browser in (login CSRF).
    const foreign = await signIn('acme', acmeKey, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ error: 'csrf' });
    expect(foreign.headers['set-cookie']).toBeUndefined();
    // The key is never logged.
    expect(deployment.output()).not.toContain(acmeKey);

    const session = await withCookie(cookie, 'GET', '/api/v1/console/session');
    expect(session.status).toBe(200);
    expect(session.json).toEqual({ ...signedIn.json, expiresAt: expect.any(String) });

    // An admin GET with the cookie.
    expect((await withCookie(cookie, 'GET', '/api/v1/workspaces/acme/scim-tokens')).status).toBe(200);

    // A POST without, with a wrong, and with the CSRF header; a foreign Origin is refused too.
    const create = (headers: Record<string, string>) => withCookie(cookie, 'POST', '/api/v1/workspaces/acme/admin-keys', { body: { description: 'Bob Stone' }, headers });
    const noCsrf = await create({});
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json).toMatchObject({ error: 'csrf', message: expect.any(String) });
    expect((await create({ 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await create({ 'x-csrf-token': csrf, origin: 'https://evil.example' })).json).toMatchObject({ error: 'csrf' });
    const created = await create({ 'x-csrf-token': csrf, origin });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      key: expect.stringMatching(/^adm_[0-9A-Za-z]{43}$/),
      adminKey: {
        id: expect.any(String),
        prefix: created.json.key.slice(0, 12),
        description: 'Bob Stone',
        createdAt: expect.any(String),
        createdBy: `admin:${acmeKey.slice(0, 12)}`,
        lastUsedAt: null,
        revokedAt: null,
        state: 'active',
      },
    });
    // The new key works at once, and names its admin in the console.
    const bob = await signIn('acme', created.json.key);
    expect(bob.json.admin).toEqual({ keyId: created.json.adminKey.id, keyPrefix: created.json.key.slice(0, 12), name: 'Bob Stone' });

    // A cookie of workspace A gets nothing from workspace B.
    expect((await withCookie(cookie, 'GET', '/api/v1/workspaces/beta/scim-tokens')).status).toBe(401);
    expect((await withCookie(cookie, 'POST', '/api/v1/workspaces/beta/scim-tokens', { body: {}, headers: { 'x-csrf-token': csrf } })).status).toBe(401);

    // Sign-out is CSRF-checked, ends the session on the server and clears the cookie.
    expect((await withCookie(cookie, 'DELETE', '/api/v1/console/session')).status).toBe(403);
    const signedOut = await withCookie(cookie, 'DELETE', '/api/v1/console/session', { headers: { 'x-csrf-token': csrf } });
    expect(signedOut.status).toBe(204);
    expect(signedOut.headers['set-cookie']?.[0]).toMatch(/^axis_console=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/);
    expect((await withCookie(cookie, 'GET', '/api/v1/console/session')).status).toBe(401);
    expect((await withCookie(cookie, 'GET', '/api/v1/workspaces/acme/scim-tokens')).status).toBe(401);
  });

  it('lists admin keys with their last use, revokes one (its sessions end on the next request), refuses the last one, and the CLI revokes any', async () => {
    const created = await withKey(acmeKey, 'POST', '/api/v1/workspaces/acme/admin-keys', { description: 'Carol' });
    expect(created.status).toBe(201);
    const carolKey: string = created.json.key;
    const carolId: string = created.json.adminKey.id;
    const carol = await signIn('acme', carolKey);
    const carolCookie = cookieOf(carol);
    expect((await withCookie(carolCookie, 'GET', '/api/v1/workspaces/acme')).status).toBe(200);

    const listed = await withKey(acmeKey, 'GET', '/api/v1/workspaces/acme/admin-keys');
    expect(listed.status).toBe(200);
    expect(listed.json.items).toContainEqual(expect.objectContaining({ id: carolId, prefix: carolKey.slice(0, 12), description: 'Carol', state: 'active', revokedAt: null }));
    expect(JSON.stringify(listed.json)).not.toContain(carolKey);
    await waitFor('last use of the keys', async () => {
      const items = (await withKey(acmeKey, 'GET', '/api/v1/workspaces/acme/admin-keys')).json.items as Array<{ id: string; lastUsedAt: string | null }>;
      return items.find((item) => item.id === carolId)?.lastUsedAt !== null;
    });

    // Revoked through the API: the key and its console session stop working on the next request.
    expect((await withKey(acmeKey, 'DELETE', `/api/v1/workspaces/acme/admin-keys/${carolId}`)).status).toBe(204);
    expect((await withKey(carolKey, 'GET', '/api/v1/workspaces/acme')).status).toBe(401);
    expect((await withCookie(carolCookie, 'GET', '/api/v1/workspaces/acme')).status).toBe(401);
    expect((await withCookie(carolCookie, 'GET', '/api/v1/console/session')).status).toBe(401);
    expect((await signIn('acme', carolKey)).status).toBe(401);
    const afterRevoke = (await withKey(acmeKey, 'GET', '/api/v1/workspaces/acme/admin-keys')).json.items as Array<{ id: string; state: string; revokedAt: string | null }>;
    expect(afterRevoke.find((item) => item.id === carolId)).toMatchObject({ state: 'revoked', revokedAt: expect.any(String) });
    // Again: not an error. Unknown: 404.
    expect((await withKey(acmeKey, 'DELETE', `/api/v1/workspaces/acme/admin-keys/${carolId}`)).status).toBe(204);
    const unknown = await withKey(acmeKey, 'DELETE', '/api/v1/workspaces/acme/admin-keys/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'not_found' });

    // The audit log records it with the acting admin.
    await waitFor('the audit entry of the revocation', async () => {
      const entries = (await withKey(acmeKey, 'GET', '/api/v1/workspaces/acme/audit?code=TENANT_ADMIN_KEY_REVOKED')).json.entries as Array<{ target: { id: string | null }; actor: string }>;
      return entries.some((entry) => entry.target.id === carolId && entry.actor === `admin:${acmeKey.slice(0, 12)}`);
    });

    // Revoke every other active key, then the last one is refused to an admin.
    const others = ((await withKey(acmeKey, 'GET', '/api/v1/workspaces/acme/admin-keys')).json.items as Array<{ id: string; prefix: string; state: string }>).filter(
      (item) => item.state === 'active' && item.prefix !== acmeKey.slice(0, 12),
    );
    for (const other of others) expect((await withKey(acmeKey, 'DELETE', `/api/v1/workspaces/acme/admin-keys/${other.id}`)).status).toBe(204);
    const acmeId = ((await withKey(acmeKey, 'GET', '/api/v1/workspaces/acme/admin-keys')).json.items as Array<{ id: string; prefix: string }>).find(
      (item) => item.prefix === acmeKey.slice(0, 12),
    )!.id;
    const last = await withKey(acmeKey, 'DELETE', `/api/v1/workspaces/acme/admin-keys/${acmeId}`);
    expect(last.status).toBe(409);
    expect(last.json).toMatchObject({ error: 'last_admin_key', message: expect.any(String) });
    expect((await withKey(acmeKey, 'GET', '/api/v1/workspaces/acme')).status).toBe(200);

    // The operator may revoke it: the next request is refused.
    const cli = runCli(deployment, ['admin-key', 'revoke', '--workspace', 'acme', acmeKey.slice(0, 12)]);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`Revoked admin key ${acmeKey.slice(0, 12)}`);
    expect((await withKey(acmeKey, 'GET', '/api/v1/workspaces/acme')).status).toBe(401);
  });

  it('serves the console under /admin', async () => {
    const page = await http(deployment.baseUrl, '/admin/settings/identity/scim');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>console</title>');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const asset = await http(deployment.baseUrl, '/admin/assets/app-1a2b3c.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('describes the console session and admin-key routes in the OpenAPI document', async () => {
    const document = (await http(deployment.baseUrl, '/api/docs-json')).json;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/console/sessions', '/api/v1/console/session', '/api/v1/workspaces/{slug}/admin-keys', '/api/v1/workspaces/{slug}/admin-keys/{id}']),
    );
    expect(Object.keys(document.paths['/api/v1/console/session'])).toEqual(expect.arrayContaining(['get', 'delete']));
    const schemas = document.components.schemas;
    expect(schemas.ConsoleSessionView.required).toEqual(expect.arrayContaining(['workspace', 'admin', 'csrfToken', 'expiresAt']));
    expect(schemas.ConsoleAdminView.required).toEqual(expect.arrayContaining(['keyId', 'keyPrefix', 'name']));
    expect(schemas.SignInDto.required).toEqual(expect.arrayContaining(['workspace', 'adminKey']));
    expect(schemas.AdminKeyView.properties.state.enum).toEqual(['active', 'revoked']);
    expect(schemas.CreatedAdminKey.required).toEqual(expect.arrayContaining(['key', 'adminKey']));
    expect(schemas.CreateAdminKeyDto.required).toEqual(['description']);
    expect(document.components.securitySchemes.axis_console).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'axis_console' });
    expect(document.paths['/api/v1/workspaces/{slug}/admin-keys'].get.security).toEqual(expect.arrayContaining([{ adminKey: [] }, { axis_console: [] }]));
  });
});
