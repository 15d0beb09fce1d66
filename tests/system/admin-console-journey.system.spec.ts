/**
 * The admin console's main journey (issue 21, item 9) in a real browser — Debian's chromium driven
 * by playwright-core — on both deployments: the all-in-one on SQLite and gateway + projector +
 * notifier on PostgreSQL. The test is the workspace admin (clicking, finding elements by role and
 * accessible name) and, in between, the identity provider (a SCIM client using the token the admin
 * copied from the console) and the product's SSO (the internal session API).
 *
 * Screenshots of every step land in test-results/admin-console/; with UPDATE_DOCS_SCREENSHOTS=1 the
 * embedded run also saves a chosen few (the 1280×800 viewport) to docs/images/admin-console/ for
 * docs/admin-console.md.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { type Browser, openBrowser } from '../support/browser';
import { type Deployment, type DeploymentKind, PATCH_OP_URI, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { REPO_ROOT, waitFor } from '../support/processes';
import { createWorkspace, http, runCli } from '../support/workspace-admin';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const SERVICE_KEY = 'console-journey-session-service-key-0123456789';
const ADMIN = 'Ada Lovelace';
const WORKSPACE = 'journey';
const PILOT = 'grace.hopper@example.com';
/** How long the page may take to show what the API already knows (the console polls every 4 s). */
const ON_PAGE_MS = 20_000;

const DOCS_DIR = join(REPO_ROOT, 'docs', 'images', 'admin-console');
/** Journey screenshots that illustrate docs/admin-console.md (taken from the embedded run). */
const DOCS_SHOTS: Record<string, string> = {
  '01-sign-in': 'sign-in.png',
  '03-token-dialog': 'generate-token.png',
  '05-members-pilot': 'members.png',
  '07-member-deactivated': 'member-page.png',
  '08-security-console-events': 'security-console.png',
  '08b-scim-request': 'scim-request.png',
  '09-revoke-confirm': 'revoke-token.png',
  '10-scim-after-revoke': 'scim-settings.png',
};

/** Waits until the locator is visible; the console refreshes itself, so no reload is ever needed. */
async function shown(locator: Locator, timeout = ON_PAGE_MS): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
}

function nav(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });
}

describe.each(kinds)('admin console journey on %s', (kind) => {
  let deployment: Deployment;
  let browser: Browser;
  let adminKey: string;

  const shot = async (step: string) => {
    await browser.screenshot(`journey-${kind}-${step}`);
    if (process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' && kind === 'embedded' && DOCS_SHOTS[step]) {
      // What an admin sees at 1280×800, not the whole page: small files for the documentation.
      mkdirSync(DOCS_DIR, { recursive: true });
      await browser.page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
      await browser.page.screenshot({ path: join(DOCS_DIR, DOCS_SHOTS[step]), fullPage: false });
    }
  };
  const adminApi = (method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/api/v1/workspaces/${WORKSPACE}${path}`, { method, body, headers: { authorization: `Bearer ${adminKey}` } });
  const internal = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
    http(deployment.baseUrl, path, { method, body: options.body, headers: { authorization: `Bearer ${SERVICE_KEY}`, ...options.headers } });

  beforeAll(async () => {
    deployment = await startDeployment(kind, { SESSION_SERVICE_KEY: SERVICE_KEY });
    createWorkspace(deployment, WORKSPACE);
    const created = runCli(deployment, ['admin-key', 'create', '--workspace', WORKSPACE, '--description', ADMIN, '--quiet']);
    if (created.status !== 0) throw new Error(`admin-key create failed: ${created.stderr}`);
    adminKey = created.stdout.trim();
    // The CLI appends the key's event; on three processes the projector makes it usable a moment later.
    await waitFor('the admin key to be accepted', async () => (await adminApi('GET', '')).status === 200);
    browser = await openBrowser({ baseUrl: deployment.baseUrl });
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: deployment.baseUrl });
  });
  afterAll(async () => {
    await browser?.close();
    await deployment?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  it('signs in, generates and copies a token, watches the pilot land and leave, and revokes the token', async () => {
    const { page } = browser;

    // Sign in with the admin key the CLI made; its description names the admin in the header.
    await page.goto(`${deployment.baseUrl}/admin/`);
    await shown(page.getByRole('heading', { name: 'Sign in to the admin console' }));
    await page.getByLabel('Workspace').fill(WORKSPACE);
    await page.getByLabel('Admin key').fill(adminKey);
    await shot('01-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shown(page.getByRole('banner').getByText(ADMIN));
    expect(await page.getByLabel('Admin key').count()).toBe(0);

    // Settings → Identity → SCIM → Generate token.
    await nav(page, 'SCIM').click();
    await shown(page.getByRole('heading', { level: 1, name: 'SCIM' }));
    await shown(page.getByRole('heading', { name: 'Pilot checklist' }));
    await shot('02-scim');
    await page.getByRole('button', { name: 'Generate token' }).click();
    const form = page.getByRole('dialog', { name: 'Generate token' });
    await form.getByLabel('Description').fill('Okta pilot');
    await form.getByRole('button', { name: 'Generate', exact: true }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Your new SCIM token' }));
    await shown(dialog.getByText('will not be shown again'));
    await dialog.getByRole('button', { name: 'Copy token' }).click();
    await shown(dialog.getByRole('status').filter({ hasText: 'Copied' }));
    // The tests' type library has no DOM: the page's navigator, typed by hand.
    const copied = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    expect(copied).toMatch(/^scim_/);
    expect(await dialog.getByLabel('Bearer token').inputValue()).toBe(copied);
    const endpoint = await dialog.getByLabel('SCIM endpoint URL').inputValue();
    expect(endpoint).toMatch(/\/scim\/v2$/);
    await shot('03-token-dialog');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    // Closing the dialog drops the token: it is nowhere on the page any more.
    expect(await page.content()).not.toContain(copied);
    const tokenPrefix = copied.slice(0, 13);

    // Settings → Members, left open while the identity provider pushes the pilot user.
    await nav(page, 'Members').click();
    await shown(page.getByText('No members yet'));
    await shot('04-members-empty');
    await page.evaluate(() => ((globalThis as unknown as { journeyMarker: string }).journeyMarker = 'same page'));

    const scimUrl = new URL(endpoint);
    const scim = (method: string, path: string, body?: unknown) =>
      http(deployment.baseUrl, `${scimUrl.pathname}${path}`, {
        method,
        body,
        headers: { authorization: `Bearer ${copied}`, 'content-type': 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0' },
      });
    const created = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA_URI],
      userName: PILOT,
      externalId: '00u-grace',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      displayName: 'Grace Hopper',
      emails: [{ value: PILOT, type: 'work', primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    const memberId: string = created.json.id;

    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Grace Hopper' }) });
    await shown(row);
    await shown(row.getByText('SCIM', { exact: true }));
    await shown(row.getByText('Active', { exact: true }));
    expect(await page.evaluate(() => (globalThis as unknown as { journeyMarker?: string }).journeyMarker)).toBe('same page');
    await shot('05-members-pilot');

    // SSO opens a session for the pilot; the member page lists it.
    const session = await internal('POST', `/internal/v1/workspaces/${WORKSPACE}/sessions`, { body: { memberId } });
    expect(session.status).toBe(201);
    const sessionToken: string = session.json.token;
    const introspect = () => internal('GET', '/internal/v1/sessions/introspect', { headers: { 'x-session-token': sessionToken } });
    expect((await introspect()).status).toBe(200);
    await row.getByRole('link', { name: 'Grace Hopper' }).click();
    await shown(page.getByRole('heading', { level: 1, name: /Grace Hopper/ }));
    const sessions = page.getByRole('table', { name: 'Active sessions' });
    await shown(sessions.getByText(sessionToken.slice(0, 12)));
    await shot('06-member-session');

    // The identity provider deactivates the pilot: the page shows it, and the session is gone.
    const deactivated = await scim('PATCH', `/Users/${memberId}`, { schemas: [PATCH_OP_URI], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(deactivated.status).toBe(200);
    const heading = page.getByRole('heading', { level: 1, name: /Grace Hopper/ });
    await shown(heading.getByText('Deactivated', { exact: true }));
    await shown(page.getByText('No active session.'));
    await shown(page.getByRole('cell', { name: 'ACCOUNT_SCIM_USER_DEACTIVATED' }));
    await waitFor('the session to be revoked', async () => (await introspect()).status === 401);
    const listed = await internal('GET', `/internal/v1/workspaces/${WORKSPACE}/members/${memberId}/sessions`);
    expect(listed.json.items).toEqual([expect.objectContaining({ id: session.json.id, revokedAt: expect.any(String), revokedReason: 'ACCOUNT_SCIM_USER_DEACTIVATED' })]);
    await shot('07-member-deactivated');

    // The Security Console has both provisioning events, live.
    await nav(page, 'Security Console').click();
    const audit = page.getByRole('table', { name: 'Audit log, newest first' });
    await shown(audit.getByText('ACCOUNT_SCIM_USER_CREATED', { exact: true }));
    await shown(audit.getByText('ACCOUNT_SCIM_USER_DEACTIVATED', { exact: true }));
    await shot('08-security-console-events');
    // One click from an event to the SCIM request that caused it (bodies redacted).
    await audit.getByRole('row').filter({ hasText: 'ACCOUNT_SCIM_USER_CREATED' }).getByRole('link', { name: /^View request / }).click();
    await shown(page.getByRole('heading', { level: 1, name: /^POST \/workspaces\/journey\/scim\/v2\/Users$/ }));
    await shown(page.getByText('users.create', { exact: true }));
    await shot('08b-scim-request');

    // Revoke the token, behind a confirmation.
    await nav(page, 'SCIM').click();
    await page.getByRole('button', { name: `Revoke token ${tokenPrefix}` }).click();
    const confirm = await shown(page.getByRole('alertdialog', { name: 'Revoke this token?' }));
    await shot('09-revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.waitFor({ state: 'hidden' });
    const tokens = page.getByRole('table', { name: 'SCIM tokens' });
    const tokenRow = tokens.getByRole('row').filter({ hasText: tokenPrefix });
    await shown(tokenRow.getByText('Revoked', { exact: true }));
    // Created by the admin, by name (the record keeps admin:<key prefix>).
    expect(await tokenRow.innerText()).toContain(`${ADMIN} (admin key ${adminKey.slice(0, 12)})`);
    await shot('10-scim-after-revoke');

    // The identity provider is refused from then on.
    const refused = await waitFor('the revoked token to be refused', async () => {
      const answer = await scim('GET', '/Users');
      return answer.status === 401 ? answer : undefined;
    });
    expect(refused.status).toBe(401);

    // The Security Console names the admin who revoked it.
    await nav(page, 'Security Console').click();
    const revokedRow = audit.getByRole('row').filter({ hasText: 'TENANT_SCIM_TOKEN_REVOKED' });
    await shown(revokedRow);
    expect(await revokedRow.first().innerText()).toContain(ADMIN);
    await shot('11-security-console-revoked');
    expect(browser.foreignRequests()).toEqual([]);
  });

  it("merges a duplicate, shows a refused create as SCIM_USER_CONFLICT, and a session gets nothing from another workspace", async () => {
    const { page } = browser;
    await page.goto(`${deployment.baseUrl}/admin/settings/members`);
    if (await page.getByRole('heading', { name: 'Sign in to the admin console' }).isVisible()) {
      await page.getByLabel('Workspace').fill(WORKSPACE);
      await page.getByLabel('Admin key').fill(adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await shown(page.getByRole('heading', { level: 1, name: 'Members' }));

    // Auto-merge off: a SCIM create with a local account's primary email is refused until an admin merges.
    expect((await adminApi('PUT', '/scim-settings', { autoMergeLocalAccounts: false })).status).toBe(200);
    const local = await adminApi('POST', '/members', { userName: 'alan.local', email: 'alan@example.com', displayName: 'Alan Local' });
    expect(local.status).toBe(201);
    const token = (await adminApi('POST', '/scim-tokens', { description: 'Okta production' })).json.token as string;
    const scim = (body: unknown) =>
      http(deployment.baseUrl, `/workspaces/${WORKSPACE}/scim/v2/Users`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0' },
      });
    const refused = await scim({ schemas: [USER_SCHEMA_URI], userName: 'alan.turing@example.com', emails: [{ value: 'alan@example.com', type: 'work', primary: true }] });
    expect(refused.status).toBe(409);

    // A SCIM user with the local account's email as a second one lands, flagged as a possible duplicate.
    const turing = await scim({
      schemas: [USER_SCHEMA_URI],
      userName: 'a.turing@example.com',
      displayName: 'Alan Turing',
      emails: [{ value: 'a.turing@example.com', type: 'work', primary: true }, { value: 'alan@example.com', type: 'other' }],
    });
    expect(turing.status).toBe(201);
    const duplicates = page.getByRole('region', { name: 'Possible duplicates' });
    await shown(duplicates.getByRole('button', { name: 'Merge alan@example.com' }));
    await shot('12-members-duplicate');
    await duplicates.getByRole('button', { name: 'Merge alan@example.com' }).click();
    const confirm = await shown(page.getByRole('alertdialog', { name: 'Merge these accounts?' }));
    await confirm.getByRole('button', { name: 'Merge', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    // The local account's history has the approval, by the admin.
    await page.getByRole('link', { name: 'Alan Local' }).first().click();
    const approval = page.getByRole('table', { name: 'History, newest first' }).getByRole('row').filter({ hasText: 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED' });
    await shown(approval);
    expect(await approval.first().innerText()).toContain(ADMIN);
    await shot('13-member-merge-approved');

    // The refused create in the Security Console, with its product code and the request behind it.
    await nav(page, 'Security Console').click();
    const conflict = page.getByRole('table', { name: 'Audit log, newest first' }).getByRole('row').filter({ hasText: 'SCIM_USER_CONFLICT' });
    await shown(conflict);
    await shown(conflict.getByText('Rejected', { exact: true }));
    await shot('14-security-console-conflict');
    await conflict.first().getByRole('link', { name: /^View request / }).click();
    await shown(page.getByRole('heading', { level: 1, name: /^POST \/workspaces\/journey\/scim\/v2\/Users$/ }));
    await shown(page.getByText('409', { exact: true }));
    await shot('15-scim-request-conflict');

    // This session is the journey workspace's: another workspace answers 401 to it, reads and writes alike.
    createWorkspace(deployment, 'elsewhere');
    const answers = await page.evaluate(async () => {
      const call = (method: string) => fetch('/api/v1/workspaces/elsewhere/scim-tokens', { method, credentials: 'same-origin', headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      return [(await call('GET')).status, (await call('POST')).status, (await fetch('/api/v1/workspaces/journey/scim-tokens')).status];
    });
    expect(answers).toEqual([401, 401, 200]);
    expect(browser.foreignRequests()).toEqual([]);
  });
});
