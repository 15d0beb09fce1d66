/**
 * The Prometheus files of the compose stack, checked by promtool (Debian's prometheus package;
 * deploy/local/promtool.sh installs it, and `npm test` runs that first): the config and its rule
 * file parse, and alerts.test.yml's cases fire and stay silent as written. Which metric names and
 * labels the queries may use is checked in docker-compose.spec.ts against the code's registry.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';

const REPO_ROOT = resolve(__dirname, '../..');
const PROMETHEUS_DIR = join(REPO_ROOT, 'deploy/prometheus');
const ALERTS = ['AxisConsumerLagging', 'AxisConsumerFailed', 'AxisConsumerLeaseUnheld', 'AxisHttp5xxRate', 'AxisWorkspaceRateLimited', 'AxisWebhookDeadLetters', 'AxisUnauthorizedBurst'];

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTests {
  rule_files: string[];
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] | null }> }>;
}

function readYaml<T>(name: string): T {
  return load(readFileSync(join(PROMETHEUS_DIR, name), 'utf8')) as T;
}

/** Runs promtool in `cwd` (rule_files paths are relative to the file naming them). */
function promtool(cwd: string, ...args: string[]) {
  const result = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/prometheus', () => {
  let tmp: string;

  beforeAll(() => {
    const ensured = spawnSync('bash', [join(REPO_ROOT, 'deploy/local/promtool.sh')], { encoding: 'utf8', timeout: 10 * 60_000 });
    if (ensured.status !== 0) throw new Error(`deploy/local/promtool.sh failed (${ensured.status}):\n${ensured.stderr}`);
    tmp = mkdtempSync(join(tmpdir(), 'axis-prometheus-'));
  }, 11 * 60_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('has a valid config that loads alerts.yml', () => {
    const result = promtool(PROMETHEUS_DIR, 'check', 'config', 'prometheus.yml');
    expect(result).toEqual({ status: 0, output: expect.stringContaining('SUCCESS: 1 rule files found') });
  });

  it('has valid alerting rules: the seven alerts, each with a duration, a severity and a summary and description', () => {
    const result = promtool(PROMETHEUS_DIR, 'check', 'rules', 'alerts.yml');
    expect(result).toEqual({ status: 0, output: expect.stringContaining('SUCCESS: 7 rules found') });
    // What promtool does not require, but an operator reading a page needs.
    const rules = readYaml<{ groups: Array<{ rules: AlertRule[] }> }>('alerts.yml').groups.flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.alert)).toEqual(ALERTS);
    for (const rule of rules) {
      expect({ alert: rule.alert, for: rule.for }).toEqual({ alert: rule.alert, for: expect.stringMatching(/^\d+[smh]$/) });
      expect({ alert: rule.alert, severity: rule.labels?.['severity'] }).toEqual({ alert: rule.alert, severity: expect.stringMatching(/^(warning|critical)$/) });
      expect(rule.annotations).toEqual({ summary: expect.any(String), description: expect.any(String) });
    }
  });

  it('has unit tests in which each alert fires, and in which it does not', () => {
    const tests = readYaml<RuleTests>('alerts.test.yml');
    expect(tests.rule_files).toEqual(['alerts.yml']);
    const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
    for (const alert of ALERTS) {
      const ofAlert = cases.filter((one) => one.alertname === alert);
      expect({ alert, fires: ofAlert.some((one) => (one.exp_alerts ?? []).length > 0) }).toEqual({ alert, fires: true });
      expect({ alert, silent: ofAlert.some((one) => (one.exp_alerts ?? []).length === 0) }).toEqual({ alert, silent: true });
    }
  });

  it('passes its unit tests (promtool test rules alerts.test.yml)', () => {
    const result = promtool(PROMETHEUS_DIR, 'test', 'rules', 'alerts.test.yml');
    expect(result).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('fails the unit tests when an alert threshold changes (the tests pin what fires)', () => {
    const dir = join(tmp, 'broken-threshold');
    cpSync(PROMETHEUS_DIR, dir, { recursive: true });
    const alerts = readFileSync(join(dir, 'alerts.yml'), 'utf8');
    const search = 'rate(axis_scim_rate_limited_total[5m])) > 0.5';
    expect(alerts).toContain(search);
    writeFileSync(join(dir, 'alerts.yml'), alerts.replace(search, 'rate(axis_scim_rate_limited_total[5m])) > 0.01'));
    const result = promtool(dir, 'test', 'rules', 'alerts.test.yml');
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/AxisWorkspaceRateLimited/);
  });
});
