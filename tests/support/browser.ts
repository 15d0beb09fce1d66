import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './processes';

/**
 * A real browser for the console's tests: Debian's chromium (scripts/test.sh installs the package;
 * no browser download works here), driven by playwright-core, in a fresh profile per context.
 */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where the tests save what they saw: `test-results/admin-console/` (git-ignored). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'admin-console');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page PNG named `<journey>-<step>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Requests the page sent to hosts other than the product's own. */
  foreignRequests(): string[];
  close(): Promise<void>;
}

export interface BrowserOptions {
  baseUrl: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

export async function openBrowser(options: BrowserOptions): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/test.sh (it installs Debian's chromium) or apt-get install chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'axis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const own = new URL(options.baseUrl).host;
  const foreign: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.host !== own) foreign.push(request.url());
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    screenshot: async (name) => {
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    foreignRequests: () => [...foreign],
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** axe-core's serious and critical violations on the page as it is now (the engine is injected from the package, not fetched). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const engine = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated over the DevTools protocol rather than added as a <script>: the console's
  // Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
  // Once per document: a single-page app keeps it across in-app navigations.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(engine);
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }));
  })) as AxeViolation[];
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
