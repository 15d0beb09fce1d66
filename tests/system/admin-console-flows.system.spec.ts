/**
 * The admin console's other journeys (issue 21, item 9 "Plus"), in a real browser (Debian's
 * chromium driven by playwright-core) on both deployments: automatic merging turned off in the SCIM
 * settings, unknown attributes refused (issue 22), merge a duplicate, a rejected SCIM POST
 * traced from the Security Console to its request, a session cookie of workspace A that gets
 * nothing from workspace B, and a sign-out that ends the session on the server. Elements are found
 * by role and accessible name; each step saves a screenshot under test-results/admin-console/.
 * Workspaces and admin keys come from the operator CLI; what an IdP does is the test's SCIM client.
 */
import { randomUUID } from 'node:crypto';
import { type Browser, openBrowser } from '../support/browser';
import { type Deployment, type DeploymentKind, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { createWorkspace, http, type Json, runCli } from '../support/workspace-admin';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const ADMIN_NAME = 'Jane Admin';
/** Long enough for the Members page's 4-second refresh and the Security Console's polling. */
const UI_TIMEOUT = 20_000;

describe.each(kinds)('admin console flows in a browser on %s', (kind) => {
  let deployment: Deployment;
  let browser: Browser;
  let adminKey: string;
  let betaKey: string;
  let scimToken: string;

  const admin = (method: string, path: string, body?: unknown, key = adminKey, workspace = 'acme') =>
    http(deployment.baseUrl, `/api/v1/workspaces/${workspace}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}` },
      ...(body === undefined ? {} : { body }),
    });
  const scimPost = (body: unknown, requestId: string) =>
    http(deployment.baseUrl, '/workspaces/acme/scim/v2/Users', {
      method: 'POST',
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0', 'x-request-id': requestId },
      body,
    });
  const scimUser = (userName: string, emails: string[], extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA_URI],
    userName,
    externalId: `ext-${userName}`,
    emails: emails.map((value, index) => ({ value, type: index === 0 ? 'work' : 'other', primary: index === 0 })),
    ...extra,
  });
  const shot = (step: string) => browser.screenshot(`flows-${kind}-${step}`);
  const page = () => browser.page;

  async function signIn(workspace: string, key: string): Promise<void> {
    await page().goto(`${deployment.baseUrl}/admin/`);
    await page().getByLabel('Workspace').fill(workspace);
    await page().getByLabel('Admin key').fill(key);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('button', { name: 'Sign out' }).waitFor({ timeout: UI_TIMEOUT });
  }
  async function openFromNav(name: string): Promise<void> {
    await page().getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click();
    await page().getByRole('heading', { level: 1, name }).waitFor({ timeout: UI_TIMEOUT });
  }

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    createWorkspace(deployment, 'acme');
    const key = runCli(deployment, ['admin-key', 'create', '--workspace', 'acme', '--description', ADMIN_NAME, '--quiet']);
    if (key.status !== 0) throw new Error(`admin-key create failed: ${key.stderr}`);
    adminKey = key.stdout.trim();
    betaKey = createWorkspace(deployment, 'beta');
    scimToken = (await admin('POST', '/scim-tokens', { description: 'Okta production' })).json.token as string;
    browser = await openBrowser({ baseUrl: deployment.baseUrl });
    await signIn('acme', adminKey);
  });
  afterAll(async () => {
    await browser?.close();
    await deployment?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  it('turns automatic merging of local accounts off in Settings → Identity → SCIM, recorded with the admin', async () => {
    // This workspace wants an admin to approve every merge of a local account with the IdP's user.
    expect((await admin('GET', '/scim-settings')).json).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: false });
    const panel = page().getByRole('region', { name: 'Local accounts' });
    await panel.waitFor({ timeout: UI_TIMEOUT });
    const autoMerge = panel.getByRole('checkbox', { name: 'Merge local accounts automatically' });
    await expect(autoMerge.isChecked()).resolves.toBe(true);
    await expect(panel.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);
    await autoMerge.uncheck();
    await expect(panel.textContent()).resolves.toContain('SCIM_USER_CONFLICT');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByRole('status').getByText('Saved.').waitFor({ timeout: UI_TIMEOUT });
    await shot('a0-auto-merge-off');
    expect((await admin('GET', '/scim-settings')).json).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: false });
    // A reload shows what is stored, not what was clicked.
    await page().reload();
    await expect(page().getByRole('region', { name: 'Local accounts' }).getByRole('checkbox', { name: 'Merge local accounts automatically' }).isChecked({ timeout: UI_TIMEOUT })).resolves.toBe(false);
    await openFromNav('Security Console');
    const changed = page().getByRole('row').filter({ hasText: 'TENANT_SCIM_SETTINGS_CHANGED' });
    await changed.first().waitFor({ timeout: UI_TIMEOUT });
    await expect(changed.first().textContent()).resolves.toContain(ADMIN_NAME);
  });

  it('turns refusal of unknown attributes on in its own panel, leaving automatic merging as it is, and the refusal shows in the Security Console', async () => {
    await openFromNav('SCIM');
    const panel = page().getByRole('region', { name: 'Unknown attributes' });
    await panel.waitFor({ timeout: UI_TIMEOUT });
    const refuse = panel.getByRole('checkbox', { name: 'Refuse unknown attributes' });
    await expect(refuse.isChecked()).resolves.toBe(false);
    await expect(panel.textContent()).resolves.toContain('listed in the Security Console');
    await expect(panel.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);
    await refuse.check();
    await expect(panel.textContent()).resolves.toContain('SCIM_INVALID_PATH');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByRole('status').getByText('Saved.').waitFor({ timeout: UI_TIMEOUT });
    await expect(refuse.isChecked()).resolves.toBe(true);
    await expect(panel.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);
    // The other panel neither changed nor claims to have saved anything.
    const localAccounts = page().getByRole('region', { name: 'Local accounts' });
    await expect(localAccounts.getByRole('checkbox', { name: 'Merge local accounts automatically' }).isChecked()).resolves.toBe(false);
    await expect(localAccounts.getByRole('status').textContent()).resolves.toBe('');
    await shot('a0b-refuse-unknown-on');
    expect((await admin('GET', '/scim-settings')).json).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: true });

    const requestId = `flows-unknown-${randomUUID()}`;
    const refused = await scimPost(scimUser('frank@example.com', ['frank@example.com'], { costCentre: 'CC-7' }), requestId);
    expect([refused.status, refused.headers['axis-error-code'], refused.json.scimType]).toEqual([400, 'SCIM_INVALID_PATH', 'invalidPath']);
    expect(refused.json.detail).toContain('"costCentre"');
    await openFromNav('Security Console');
    const rejectedRow = page().getByRole('row').filter({ has: page().getByRole('link', { name: `View request ${requestId}` }) });
    await rejectedRow.waitFor({ timeout: UI_TIMEOUT });
    await expect(rejectedRow.textContent()).resolves.toContain('SCIM_INVALID_PATH');

    // A reload shows what is stored; turned off again, the same request is accepted.
    await openFromNav('SCIM');
    const reloaded = page().getByRole('region', { name: 'Unknown attributes' });
    const stored = reloaded.getByRole('checkbox', { name: 'Refuse unknown attributes' });
    await expect(stored.isChecked({ timeout: UI_TIMEOUT })).resolves.toBe(true);
    await stored.uncheck();
    await reloaded.getByRole('button', { name: 'Save' }).click();
    await reloaded.getByRole('status').getByText('Saved.').waitFor({ timeout: UI_TIMEOUT });
    expect((await admin('GET', '/scim-settings')).json).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: false });
    expect((await scimPost(scimUser('frank@example.com', ['frank@example.com'], { costCentre: 'CC-7' }), randomUUID())).status).toBe(201);
  });

  it('merges a local account flagged as a possible duplicate of a SCIM user, and the history names the admin', async () => {
    const local = await admin('POST', '/members', { userName: 'dave.local', email: 'dave@example.com', displayName: 'Dave Local' });
    expect(local.status).toBe(201);
    const localId = local.json.id as string;
    // The IdP's user carries the local account's email besides its own primary one: a possible duplicate.
    const stone = await scimPost(scimUser('david.stone@example.com', ['david.stone@example.com', 'dave@example.com'], { displayName: 'David Stone' }), randomUUID());
    expect(stone.status).toBe(201);

    await openFromNav('Members');
    const duplicates = page().getByRole('region', { name: 'Possible duplicates' });
    await duplicates.waitFor({ timeout: UI_TIMEOUT });
    await expect(duplicates.textContent()).resolves.toContain('dave@example.com');
    const daveRow = page().getByRole('row').filter({ has: page().getByRole('link', { name: 'Dave Local' }) });
    await expect(daveRow.textContent()).resolves.toContain('Possible duplicate');
    await shot('a1-duplicate-flagged');

    await duplicates.getByRole('button', { name: 'Merge dave@example.com' }).click();
    const confirm = page().getByRole('alertdialog', { name: 'Merge these accounts?' });
    await confirm.waitFor();
    await expect(confirm.textContent()).resolves.toContain('dave@example.com');
    await shot('a2-merge-confirm');
    await confirm.getByRole('button', { name: 'Merge' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await shot('a3-merge-approved');

    // The approval lets the IdP's next create with that email take the local account over.
    const linked = await scimPost(scimUser('dave@example.com', ['dave@example.com'], { displayName: 'Dave Okta', name: { givenName: 'Dave', familyName: 'Okta' } }), randomUUID());
    expect(linked.status).toBe(201);
    expect(linked.json.id).toBe(localId);
    // Without a reload: the list refreshes itself. The same member (same id, same link) now carries the SCIM badge.
    const linkedRow = page().getByRole('row').filter({ has: page().locator(`a[href$="/members/${localId}"]`) });
    await linkedRow.getByText('SCIM', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await expect(linkedRow.textContent()).resolves.toContain('Dave Okta');
    await expect(linkedRow.textContent()).resolves.not.toContain('Possible duplicate');
    await shot('a4-member-linked');
    // Both accounts with the email are the IdP's now: no pair is left to merge.
    expect((await admin('GET', '/members/duplicates')).json.items).toEqual([]);
    await duplicates.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });

    await linkedRow.getByRole('link', { name: 'Dave Okta' }).click();
    await page().getByRole('heading', { level: 1, name: /Dave Okta/ }).waitFor({ timeout: UI_TIMEOUT });
    const history = page().getByRole('table', { name: 'History, newest first' });
    await history.waitFor({ timeout: UI_TIMEOUT });
    const approvedRow = history.getByRole('row').filter({ hasText: "Merge with the IdP's user approved" });
    await expect(approvedRow.textContent()).resolves.toContain(ADMIN_NAME);
    await expect(history.getByRole('row').filter({ hasText: 'ACCOUNT_SCIM_USER_MERGED' }).count()).resolves.toBe(1);
    await shot('a5-member-history');
    const types = await history.locator('tbody tr td:nth-child(4)').allTextContents();
    // Newest first: the takeover, the approval, the local account's creation.
    expect(types).toEqual(['ACCOUNT_SCIM_USER_MERGED', 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED', 'ACCOUNT_LOCAL_MEMBER_CREATED']);
  });

  it('shows a refused SCIM POST as SCIM_USER_CONFLICT in the Security Console and opens its request, redacted, in one click', async () => {
    expect((await admin('POST', '/members', { userName: 'erin.local', email: 'erin@example.com', displayName: 'Erin Local' })).status).toBe(201);
    const requestId = `flows-conflict-${randomUUID()}`;
    const refused = await scimPost(scimUser('erin@example.com', ['erin@example.com'], { password: 'Pilot-s3cret!' }), requestId);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('SCIM_USER_CONFLICT');

    await openFromNav('Security Console');
    await page().getByLabel('Outcome').selectOption('rejected');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    const audit = page().getByRole('table', { name: 'Audit log, newest first' });
    const conflictRow = audit.getByRole('row').filter({ has: page().getByRole('link', { name: `View request ${requestId}` }) });
    await conflictRow.waitFor({ timeout: UI_TIMEOUT });
    const rowText = (await conflictRow.textContent()) ?? '';
    expect(rowText).toContain('SCIM_USER_CONFLICT');
    expect(rowText).toContain('Rejected');
    // A refused create concerns no member yet: no target is shown (not the rejection log's stream id).
    await expect(conflictRow.locator('td:nth-child(3)').textContent()).resolves.toBe('—');
    const entry = ((await admin('GET', `/audit?code=SCIM_USER_CONFLICT`)).json.entries as Json[]).find((item) => item.requestId === requestId);
    expect(entry).toBeDefined();
    // Its reason, as the audit entry records it, is on the row.
    const reason = [entry.details.detail, entry.details.reason].filter((part) => typeof part === 'string' && part.length > 0)[0] as string | undefined;
    expect(reason).toBeDefined();
    expect(rowText).toContain(reason!.replace(/-/g, ' '));
    // Only rejections are listed under that filter.
    const outcomes = await audit.getByRole('row').evaluateAll((rows) => rows.slice(1).map((row) => row.querySelector('td:nth-child(5)')?.textContent ?? ''));
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((text) => text.startsWith('Rejected'))).toBe(true);
    await shot('b1-security-console-rejected');

    await conflictRow.getByRole('link', { name: `View request ${requestId}` }).click();
    await page().getByRole('heading', { level: 1, name: 'POST /workspaces/acme/scim/v2/Users' }).waitFor({ timeout: UI_TIMEOUT });
    const facts = (await page().locator('dl.facts').textContent()) ?? '';
    expect(facts).toContain(requestId);
    expect(facts).toContain('409');
    expect(facts).toContain('SCIM_USER_CONFLICT');
    const requestBody = (await page().getByRole('region', { name: 'Request body' }).textContent()) ?? '';
    expect(requestBody).toContain('erin@example.com');
    expect(requestBody).toContain('[REDACTED]');
    await expect(page().getByRole('region', { name: 'Response body' }).textContent()).resolves.toContain('SCIM_USER_CONFLICT');
    await shot('b2-scim-request-detail');
    const html = await page().content();
    for (const secret of ['Pilot-s3cret!', scimToken, adminKey]) expect(html).not.toContain(secret);

    // The fix the Security Console names: approve the merge on the local account's page (the
    // refused create left no SCIM user to pair it with), then the IdP's retry takes the account over.
    const erin = ((await admin('GET', '/members?q=erin.local')).json.items as Json[]).find((item) => item.userName === 'erin.local');
    expect(erin).toBeDefined();
    await page().goto(`${deployment.baseUrl}/admin/members/${erin.id as string}`);
    await page().getByRole('heading', { level: 1, name: /Erin Local/ }).waitFor({ timeout: UI_TIMEOUT });
    await page().getByRole('button', { name: 'Approve merge' }).click();
    const confirm = page().getByRole('alertdialog', { name: 'Merge these accounts?' });
    await expect(confirm.textContent()).resolves.toContain('erin@example.com');
    await shot('b3-approve-merge');
    await confirm.getByRole('button', { name: 'Merge' }).click();
    await confirm.waitFor({ state: 'hidden' });
    const retried = await scimPost(scimUser('erin@example.com', ['erin@example.com']), randomUUID());
    expect(retried.status).toBe(201);
    expect(retried.json.id).toBe(erin.id);
    // Without a reload, the page shows the account provisioned by the IdP now.
    await page().getByText('SCIM (identity provider)', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await expect(page().getByRole('button', { name: 'Approve merge' }).count()).resolves.toBe(0);
    await shot('b4-refused-create-merged');
  });

  it("keeps a console session of workspace A out of workspace B's admin API", async () => {
    const betaMember = await admin('POST', '/members', { userName: 'beta.only', email: 'beta.only@example.com', displayName: 'Beta Only' }, betaKey, 'beta');
    expect(betaMember.status).toBe(201);
    const betaTokensBefore = (await admin('GET', '/scim-tokens', undefined, betaKey, 'beta')).text;
    // The page's own fetch carries the HttpOnly session cookie of acme.
    const statuses = await page().evaluate(async (betaId: string) => {
      const status = async (path: string, init?: RequestInit) => (await fetch(path, { credentials: 'same-origin', ...init })).status;
      return {
        ownMembers: await status('/api/v1/workspaces/acme/members'),
        members: await status('/api/v1/workspaces/beta/members'),
        member: await status(`/api/v1/workspaces/beta/members/${betaId}`),
        history: await status(`/api/v1/workspaces/beta/members/${betaId}/history`),
        audit: await status('/api/v1/workspaces/beta/audit'),
        tokens: await status('/api/v1/workspaces/beta/scim-tokens'),
        createToken: await status('/api/v1/workspaces/beta/scim-tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      };
    }, betaMember.json.id as string);
    const { ownMembers, ...beta } = statuses;
    expect(ownMembers).toBe(200);
    for (const [route, status] of Object.entries(beta)) expect([route, [401, 403].includes(status)]).toEqual([route, true]);
    // Nothing was created in beta.
    expect((await admin('GET', '/scim-tokens', undefined, betaKey, 'beta')).text).toBe(betaTokensBefore);

    await openFromNav('Members');
    await page().getByLabel('Search members').fill('beta.only');
    await page().getByText('No member matches these filters.').waitFor({ timeout: UI_TIMEOUT });
    await shot('c1-other-workspace-not-shown');
    // A deep link to B's member resolves in A, where it does not exist.
    await page().goto(`${deployment.baseUrl}/admin/members/${betaMember.json.id as string}`);
    await page().getByRole('heading', { level: 1, name: 'Member' }).waitFor({ timeout: UI_TIMEOUT });
    await expect(page().locator('main').textContent()).resolves.not.toContain('Beta Only');
    await shot('c2-other-workspace-member-link');
  });

  it('signs out: the session ends on the server and the old cookie replayed gets 401', async () => {
    await openFromNav('Members');
    const cookie = (await browser.context.cookies(deployment.baseUrl)).find((item) => item.name === 'axis_console');
    expect(cookie?.httpOnly).toBe(true);
    const replay = (path: string) => http(deployment.baseUrl, path, { headers: { cookie: `${cookie!.name}=${cookie!.value}` } });
    expect((await replay('/api/v1/workspaces/acme/members')).status).toBe(200);

    await page().getByRole('button', { name: 'Sign out' }).click();
    await page().getByRole('heading', { level: 1, name: 'Sign in to the admin console' }).waitFor({ timeout: UI_TIMEOUT });
    await shot('d1-signed-out');
    expect((await browser.context.cookies(deployment.baseUrl)).find((item) => item.name === 'axis_console')).toBeUndefined();
    expect((await replay('/api/v1/console/session')).status).toBe(401);
    expect((await replay('/api/v1/workspaces/acme/members')).status).toBe(401);
    // Reloading the console does not bring the session back.
    await page().reload();
    await page().getByRole('heading', { level: 1, name: 'Sign in to the admin console' }).waitFor({ timeout: UI_TIMEOUT });
  });
});
