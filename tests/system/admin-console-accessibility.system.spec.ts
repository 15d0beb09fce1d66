/**
 * Every screen of the admin console passes axe-core (no serious or critical violation) in light and
 * dark themes, at 1280×800 and on a 390×844 phone (where no page scrolls sideways, and lists are
 * cards that do not either), and no page
 * asks another host for anything
 * (issue 21, items 8 and 9). One deployment — the embedded all-in-one — keeps CI time low: the
 * screens are the same static files on every deployment. Screenshots land in
 * test-results/admin-console/a11y-<theme>-<width>-<screen>.png.
 */
import type { Page } from 'playwright-core';
import { type AxeViolation, type Browser, openBrowser, seriousAccessibilityViolations } from '../support/browser';
import { type Deployment, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { waitFor } from '../support/processes';
import { createWorkspace, http, runCli } from '../support/workspace-admin';

const WORKSPACE = 'a11y';
const ADMIN = 'Grace Admin';
const GROUP_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SCREEN_MS = 20_000;

interface Screen {
  name: string;
  path: string;
  /** The screen's h1: what tells it from the screen before. */
  title: string | RegExp;
  /** Text that is on the page once its data has loaded. */
  ready: string | RegExp;
  /** Something to open before checking (a dialog, a panel). */
  open?: (page: Page) => Promise<void>;
}

function describeViolations(violations: AxeViolation[]): string[] {
  return violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
}

describe('admin console accessibility on embedded', () => {
  let deployment: Deployment;
  let adminKey: string;
  let memberId: string;
  let requestId: string;
  const screens: Screen[] = [];

  const admin = (method: string, path: string, body?: unknown) =>
    http(deployment.baseUrl, `/api/v1/workspaces/${WORKSPACE}${path}`, { method, body, headers: { authorization: `Bearer ${adminKey}` } });

  beforeAll(async () => {
    deployment = await startDeployment('embedded', { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    createWorkspace(deployment, WORKSPACE);
    const key = runCli(deployment, ['admin-key', 'create', '--workspace', WORKSPACE, '--description', ADMIN, '--quiet']);
    if (key.status !== 0) throw new Error(`admin-key create failed: ${key.stderr}`);
    adminKey = key.stdout.trim();
    await waitFor('the admin key to be accepted', async () => (await admin('GET', '')).status === 200);

    // Something on every screen: a token, a pilot user in a group with a role, a local account
    // that duplicates it, a refused request, a custom attribute, a webhook.
    const token = (await admin('POST', '/scim-tokens', { description: 'Entra ID pilot' })).json.token as string;
    const scim = (method: string, path: string, body?: unknown) =>
      http(deployment.baseUrl, `/workspaces/${WORKSPACE}/scim/v2${path}`, {
        method,
        body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'Azure AD SCIM client' },
      });
    expect((await admin('POST', '/custom-attributes', { name: 'costCode', type: 'string', description: 'Finance cost code' })).status).toBe(201);
    expect((await admin('POST', '/members', { userName: 'linus.local', email: 'linus@example.com', displayName: 'Linus Local' })).status).toBe(201);
    const user = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA_URI],
      userName: 'ada@example.com',
      externalId: 'ext-ada',
      displayName: 'Ada Pilot',
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }, { value: 'linus@example.com', type: 'other' }],
    });
    expect(user.status).toBe(201);
    memberId = user.json.id as string;
    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: 'Engineering', members: [{ value: memberId }] });
    expect(group.status).toBe(201);
    expect((await admin('PUT', `/role-mappings/${group.json.id as string}`, { roles: ['developer'] })).status).toBe(200);
    expect((await scim('POST', '/Users', { schemas: [USER_SCHEMA_URI], userName: 'ada@example.com' })).status).toBe(409);
    expect((await admin('POST', '/webhooks', { url: 'http://127.0.0.1:9/hooks/axis', eventTypes: ['platform.scim.*'], description: 'Audit pipeline' })).status).toBe(201);
    // The request log is written in batches and the webhook list is projected: wait for both.
    requestId = await waitFor('the refused request in the SCIM request log', async () => {
      const page = (await admin('GET', '/scim-requests?status=4xx')).json as { items: Array<{ requestId: string }> };
      return page.items[0]?.requestId;
    });
    await waitFor('the webhook in the list', async () => ((await admin('GET', '/webhooks')).json as unknown[]).length === 1);

    screens.push(
      { name: 'scim', path: '/settings/identity/scim', title: 'SCIM', ready: 'Entra ID pilot' },
      {
        name: 'scim-generate-dialog',
        path: '/settings/identity/scim',
        title: 'SCIM',
        ready: 'Entra ID pilot',
        open: async (page) => {
          await page.getByRole('button', { name: 'Generate token' }).click();
          await page.getByRole('dialog', { name: 'Generate token' }).getByLabel('Description').waitFor();
        },
      },
      { name: 'admin-keys', path: '/settings/admin-keys', title: 'Admin keys', ready: ADMIN },
      { name: 'members', path: '/settings/members', title: 'Members', ready: 'Ada Pilot' },
      { name: 'member', path: `/members/${memberId}`, title: /Ada Pilot/, ready: 'ACCOUNT_SCIM_USER_CREATED' },
      { name: 'scim-requests', path: '/scim-requests', title: 'SCIM request log', ready: 'SCIM_USER_CONFLICT' },
      { name: 'scim-request', path: `/scim-requests/${encodeURIComponent(requestId)}`, title: /^POST /, ready: 'SCIM_USER_CONFLICT' },
      { name: 'security-console', path: '/security-console', title: 'Security Console', ready: 'TENANT_SCIM_TOKEN_CREATED' },
      {
        name: 'webhooks',
        path: '/settings/webhooks',
        title: 'Webhooks',
        ready: 'Audit pipeline',
        open: async (page) => {
          await page.getByRole('button', { name: /^Deliveries of / }).click();
          await page.getByRole('heading', { name: /^Recent deliveries to / }).waitFor();
        },
      },
      { name: 'custom-attributes', path: '/settings/custom-attributes', title: 'Custom attributes', ready: 'costCode' },
      { name: 'role-mappings', path: '/settings/role-mappings', title: 'Role mappings', ready: 'developer' },
    );
  });
  afterAll(async () => deployment?.stop());
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  const variants = [
    { theme: 'light' as const, viewport: { width: 1280, height: 800 } },
    { theme: 'dark' as const, viewport: { width: 1280, height: 800 } },
    { theme: 'light' as const, viewport: { width: 390, height: 844 } },
    { theme: 'dark' as const, viewport: { width: 390, height: 844 } },
  ];

  it.each(variants)('every screen in $theme at $viewport.width px has no serious axe violation and loads nothing foreign', async ({ theme, viewport }) => {
    const browser: Browser = await openBrowser({ baseUrl: deployment.baseUrl, viewport, colorScheme: theme });
    const found: Record<string, string[]> = {};
    const check = async (name: string) => {
      await browser.screenshot(`a11y-${theme}-${viewport.width}-${name}`);
      const violations = await seriousAccessibilityViolations(browser.page);
      if (violations.length) found[name] = describeViolations(violations);
      // Wide tables scroll inside their frame; the page itself never scrolls sideways.
      const width = await browser.page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      if (width > viewport.width) found[name] = [...(found[name] ?? []), `the page is ${width} px wide in a ${viewport.width} px window`];
      if (viewport.width < 600) {
        // On a phone, lists are cards: nothing of a member, an audit entry, a request or a webhook hides in a sideways scroll.
        const hidden = await browser.page.evaluate(() => {
          const document = (globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<{ scrollWidth: number; clientWidth: number; querySelector(selector: string): { textContent: string | null } | null }> } }).document;
          return Array.from(document.querySelectorAll('.table-wrap'))
            .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1)
            .map((wrap) => `${wrap.querySelector('caption')?.textContent ?? 'a table'} scrolls sideways (${wrap.scrollWidth} px in ${wrap.clientWidth} px)`);
        });
        if (hidden.length) found[name] = [...(found[name] ?? []), ...hidden];
      }
    };
    try {
      const { page } = browser;
      await page.goto(`${deployment.baseUrl}/admin/`);
      await page.getByRole('heading', { name: 'Sign in to the admin console' }).waitFor();
      await check('sign-in');
      await page.getByLabel('Workspace').fill(WORKSPACE);
      await page.getByLabel('Admin key').fill(adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('banner').getByText(ADMIN).waitFor();
      if (viewport.width < 600) {
        // On a phone the navigation sits behind the Menu button.
        await page.getByRole('button', { name: 'Menu' }).click();
        await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Members' }).waitFor();
        await check('menu-open');
      }
      for (const screen of screens) {
        // In-app navigation (the router follows popstate): no reload of the console per screen.
        await page.evaluate((href) => {
          const window = globalThis as unknown as { history: { pushState(state: unknown, title: string, url: string): void }; dispatchEvent(event: unknown): void; PopStateEvent: new (type: string) => unknown };
          window.history.pushState(null, '', href);
          window.dispatchEvent(new window.PopStateEvent('popstate'));
        }, `/admin${screen.path}`);
        await page.getByRole('heading', { level: 1, name: screen.title, exact: typeof screen.title === 'string' }).waitFor({ timeout: SCREEN_MS });
        await page.getByText(screen.ready).first().waitFor({ timeout: SCREEN_MS });
        await screen.open?.(page);
        await check(screen.name);
      }
      expect(found).toEqual({});
      expect(browser.foreignRequests()).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('works from the keyboard, with visible focus, and says what went wrong in words with the product code', async () => {
    const browser = await openBrowser({ baseUrl: deployment.baseUrl });
    try {
      const { page } = browser;
      type Active = { id: string; tag: string; text: string; outline: string; inDialog: boolean };
      const active = () =>
        page.evaluate(() => {
          const doc = (globalThis as unknown as { document: { activeElement: { id: string; tagName: string; textContent: string | null; closest(selector: string): unknown; matches(selector: string): boolean } | null } }).document;
          const element = doc.activeElement!;
          const style = (globalThis as unknown as { getComputedStyle(element: unknown): { outlineStyle: string } }).getComputedStyle(element);
          return { id: element.id, tag: element.tagName, text: (element.textContent ?? '').trim(), outline: element.matches(':focus-visible') ? style.outlineStyle : 'none', inDialog: element.closest('dialog[open]') !== null } as Active;
        });

      // A wrong key: the error in words with its code, and the key field focused again (and empty).
      await page.goto(`${deployment.baseUrl}/admin/`);
      await page.getByLabel('Workspace').fill(WORKSPACE);
      await page.getByLabel('Admin key').fill(`adm_${'x'.repeat(43)}`);
      await page.getByLabel('Admin key').press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/^Sign-in failed\. .+\(code: unauthorized\)$/s);
      expect(await active()).toMatchObject({ id: 'adminKey' });
      expect(await page.getByLabel('Admin key').inputValue()).toBe('');

      await page.keyboard.type(adminKey);
      await page.keyboard.press('Enter');
      await page.getByRole('banner').getByText(ADMIN).waitFor();
      // Signed in, the keyboard is on the page's heading (the form it was in is gone).
      await page.getByRole('heading', { level: 1, name: 'SCIM' }).waitFor();
      expect(await active()).toMatchObject({ id: 'page-title' });

      // On a page load, the first Tab reaches "Skip to content", visibly; it leads to the content.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'SCIM' }).waitFor();
      await page.keyboard.press('Tab');
      expect(await active()).toMatchObject({ tag: 'A', text: 'Skip to content', outline: 'solid' });
      await page.keyboard.press('Enter');
      expect(await active()).toMatchObject({ id: 'main' });

      // A dialog opened from the keyboard keeps focus inside; Escape closes it and focus comes back.
      await page.getByRole('button', { name: 'Generate token' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Generate token' }).waitFor();
      expect(await active()).toMatchObject({ inDialog: true });
      for (let tab = 0; tab < 4; tab++) {
        await page.keyboard.press('Tab');
        expect(await active()).toMatchObject({ inDialog: true, outline: 'solid' });
      }
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      expect(await active()).toMatchObject({ tag: 'BUTTON', text: 'Generate token', inDialog: false });
    } finally {
      await browser.close();
    }
  });
});
