/**
 * The Docker deployment, checked without a Docker engine: `docker compose config` validates
 * docker-compose.yml against the Compose specification, resolves anchors, merges and interpolation,
 * and prints the normalised model that the assertions below read. deploy/compose/ensure-compose.sh
 * makes the command available (it builds the Compose v2 plugin once per machine, then caches it).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { metricsRegistry } from '@axis/platform';
import { load } from 'js-yaml';

const REPO_ROOT = resolve(__dirname, '../..');
const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const ENSURE_COMPOSE = join(REPO_ROOT, 'deploy/compose/ensure-compose.sh');

const PRODUCT_SERVICES = ['scim-gateway', 'projector', 'notifier'] as const;
const INFRA_SERVICES = ['eventstore', 'kafka', 'postgres'] as const;
const OBSERVABILITY_SERVICES = ['prometheus', 'grafana'] as const;
/** The ops listener (METRICS_PORT) of the projector and the notifier in the stack. */
const OPS_PORT = '9464';

interface Healthcheck {
  test?: string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  ports?: Array<{ target: number; published: string | number }>;
  restart?: string;
  volumes?: Array<{ type: string; source: string; target: string }>;
}
interface PrometheusConfig {
  rule_files: string[];
  scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
}
interface ComposeModel {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** The command printed by ensure-compose.sh: ["docker", "compose"], a standalone binary, or ["docker-compose"] (v1). */
let compose: string[] = [];
let isV1 = false;

/** Only what Compose needs: nothing from the caller's shell may fill in the file's ${…} variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root' };
  if (process.env['DOCKER_CONFIG']) env['DOCKER_CONFIG'] = process.env['DOCKER_CONFIG'];
  return env;
}

function runCompose(file: string, args: string[]): SpawnSyncReturns<string> {
  const [command, ...prefix] = compose;
  return spawnSync(command!, [...prefix, '-f', file, ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function normalisedModel(file: string): ComposeModel {
  const result = runCompose(file, isV1 ? ['config'] : ['config', '--format', 'json']);
  if (result.status !== 0) throw new Error(`compose config failed (${result.status}):\n${result.stderr}`);
  if (!isV1) return JSON.parse(result.stdout) as ComposeModel;
  // Compose v1 prints YAML only; Debian's docker-compose depends on python3-yaml, so that parser is there.
  const toJson = spawnSync('/usr/bin/python3', ['-c', 'import sys,json,yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
    input: result.stdout,
    encoding: 'utf8',
  });
  if (toJson.status !== 0) throw new Error(`could not read compose v1 output:\n${toJson.stderr}`);
  const model = JSON.parse(toJson.stdout) as ComposeModel;
  // v1 keeps the short volume syntax ("name:/path:rw"); v2 prints the long one.
  for (const service of Object.values(model.services)) {
    service.volumes = (service.volumes as unknown as Array<string | NonNullable<Service['volumes']>[number]> | undefined)?.map(
      (volume) => {
        if (typeof volume !== 'string') return volume;
        const [source = '', target = ''] = volume.split(':');
        return { type: source.startsWith('/') || source.startsWith('.') ? 'bind' : 'volume', source, target };
      },
    );
  }
  return model;
}

/** Writes `text` as docker-compose.yml in a fresh temp dir; returns its path. */
function writeVariant(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function replaceOnce(text: string, search: string, replacement: string): string {
  expect(text).toContain(search); // the broken copy must really differ from the original
  return text.replace(search, replacement);
}

describe('docker-compose.yml', () => {
  let model: ComposeModel;
  let tmp: string;

  beforeAll(() => {
    const ensured = spawnSync('bash', [ENSURE_COMPOSE], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15 * 60_000 });
    if (ensured.status !== 0) throw new Error(`ensure-compose.sh failed (${ensured.status}):\n${ensured.stderr}`);
    const printed = ensured.stdout.trim();
    compose = printed === 'docker compose' ? ['docker', 'compose'] : [printed];
    isV1 = printed === 'docker-compose';
    model = normalisedModel(COMPOSE_FILE);
    tmp = mkdtempSync(join(tmpdir(), 'axis-compose-'));
  }, 16 * 60_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('passes `config -q` without any variable set', () => {
    const result = runCompose(COMPOSE_FILE, ['config', '-q']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has the three stores, the three services, Prometheus and Grafana, on pinned images', () => {
    expect(Object.keys(model.services).sort()).toEqual([...INFRA_SERVICES, ...PRODUCT_SERVICES, ...OBSERVABILITY_SERVICES].sort());
    expect(model.services['prometheus']!.image).toBe('prom/prometheus:v3.5.0');
    expect(model.services['grafana']!.image).toBe('grafana/grafana:11.6.0');
    expect(model.services['eventstore']!.image).toBe('eventstore/eventstore:24.10');
    expect(model.services['kafka']!.image).toBe('apache/kafka:4.1.1');
    expect(model.services['postgres']!.image).toBe('postgres:17');
  });

  it('builds every product service from the one Dockerfile at the repo root', () => {
    for (const name of PRODUCT_SERVICES) {
      const service = model.services[name]!;
      expect({ name, context: service.build?.context }).toEqual({ name, context: REPO_ROOT });
      expect(service.build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(service.command).toEqual(['node', `apps/${name}/dist/main.js`]);
      // The command names an app that exists and that the build compiles.
      expect(existsSync(join(REPO_ROOT, 'apps', name, 'package.json'))).toBe(true);
      expect(readFileSync(join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')).toContain(`apps/${name}`);
      expect(service.restart).toBe('unless-stopped');
    }
    expect(new Set(PRODUCT_SERVICES.map((name) => model.services[name]!.image)).size).toBe(1);
    expect(existsSync(join(REPO_ROOT, 'Dockerfile'))).toBe(true);
  });

  it('starts each service only once what it depends on is healthy, and every service has a health check', () => {
    for (const [name, service] of Object.entries(model.services)) {
      expect({ name, test: (service.healthcheck?.test?.length ?? 0) > 1 }).toEqual({ name, test: true });
      expect(service.healthcheck?.disable ?? false).toBe(false);
    }
    const needs: Record<(typeof PRODUCT_SERVICES)[number], string[]> = {
      'scim-gateway': ['eventstore', 'postgres'],
      projector: ['eventstore', 'postgres'],
      notifier: ['eventstore', 'kafka', 'postgres'],
    };
    for (const name of PRODUCT_SERVICES) {
      const dependsOn = model.services[name]!.depends_on ?? {};
      expect({ name, deps: Object.keys(dependsOn).sort() }).toEqual({ name, deps: needs[name] });
      for (const [dependency, spec] of Object.entries(dependsOn)) {
        expect({ name, dependency, condition: spec.condition }).toEqual({ name, dependency, condition: 'service_healthy' });
      }
    }
    expect(model.services['scim-gateway']!.healthcheck!.test!.join(' ')).toContain('http://127.0.0.1:8080/readyz');
  });

  it('has the projector and the notifier serve /metrics and /readyz on METRICS_PORT, and checks their /readyz there', () => {
    for (const name of ['projector', 'notifier']) {
      const service = model.services[name]!;
      // 0.0.0.0: Prometheus scrapes from another container; the default (127.0.0.1) would refuse it.
      expect({ name, env: service.environment }).toMatchObject({
        name,
        env: { METRICS_PORT: OPS_PORT, METRICS_HOST: '0.0.0.0', HEALTHCHECK_PORT: OPS_PORT },
      });
      const test = service.healthcheck!.test!;
      // The image's check (node's fetch; no curl in the slim image), not a TCP connect to the stores.
      expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      expect({ name, script: test[3] }).toEqual({ name, script: expect.stringMatching(/fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.HEALTHCHECK_PORT .*'\/readyz'\)/) });
      expect(test).toHaveLength(4);
    }
  });

  it('runs Prometheus on deploy/prometheus and Grafana provisioned from deploy/grafana, with their health checks', () => {
    const prometheus = model.services['prometheus']!;
    expect(prometheus.volumes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'bind', source: join(REPO_ROOT, 'deploy/prometheus'), target: '/etc/prometheus' }),
        expect.objectContaining({ type: 'volume', source: 'prometheus-data', target: '/prometheus' }),
      ]),
    );
    // The image's default --config.file; the rule file sits beside it in the same mount.
    expect(existsSync(join(REPO_ROOT, 'deploy/prometheus/prometheus.yml'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, 'deploy/prometheus/alerts.yml'))).toBe(true);
    expect(prometheus.healthcheck!.test!.join(' ')).toContain('http://127.0.0.1:9090/-/ready');

    const grafana = model.services['grafana']!;
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'bind', source: join(REPO_ROOT, 'deploy/grafana/provisioning'), target: '/etc/grafana/provisioning' }),
        expect.objectContaining({ type: 'bind', source: join(REPO_ROOT, 'deploy/grafana/axis-scim.json'), target: '/etc/grafana/dashboards/axis-scim.json' }),
        expect.objectContaining({ type: 'volume', source: 'grafana-data', target: '/var/lib/grafana' }),
      ]),
    );
    expect(grafana.depends_on).toEqual({ prometheus: expect.objectContaining({ condition: 'service_healthy' }) });
    expect(grafana.healthcheck!.test!.join(' ')).toContain('http://127.0.0.1:3000/api/health');
    // Grafana's default admin password unless one is given; never a committed secret.
    expect(grafana.environment!['GF_SECURITY_ADMIN_PASSWORD']).toBe('admin');
  });

  it('has Prometheus scrape each service where it serves /metrics, with the alerts loaded', () => {
    const config = load(readFileSync(join(REPO_ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as PrometheusConfig;
    expect(config.rule_files).toEqual(['alerts.yml']);
    const targets = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]));
    // Job names are the compose service names: the dashboard and the alerts group by them.
    expect(targets).toEqual({
      'scim-gateway': [`scim-gateway:${model.services['scim-gateway']!.environment!['PORT']}`],
      projector: [`projector:${model.services['projector']!.environment!['METRICS_PORT']}`],
      notifier: [`notifier:${model.services['notifier']!.environment!['METRICS_PORT']}`],
    });
  });

  it('provisions the Prometheus datasource and a provider that loads the mounted dashboard', () => {
    const provisioning = join(REPO_ROOT, 'deploy/grafana/provisioning');
    const datasources = load(readFileSync(join(provisioning, 'datasources/prometheus.yml'), 'utf8')) as {
      datasources: Array<{ type: string; url: string; isDefault?: boolean }>;
    };
    expect(datasources.datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true })]);
    const dashboards = load(readFileSync(join(provisioning, 'dashboards/axis-scim.yml'), 'utf8')) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    const mounted = model.services['grafana']!.volumes!.find((volume) => volume.source.endsWith('axis-scim.json'))!;
    expect(dashboards.providers).toEqual([expect.objectContaining({ type: 'file', options: { path: dirname(mounted.target) } })]);
  });

  it('runs Kafka as one KRaft node whose internal topics need a single replica', () => {
    const env = model.services['kafka']!.environment!;
    expect(env).toMatchObject({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://kafka:9092',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    });
    expect(model.services['notifier']!.environment!['KAFKA_BROKERS']).toBe('kafka:9092');
  });

  it('points the services at the stores and publishes only the gateway, Prometheus and Grafana', () => {
    for (const name of PRODUCT_SERVICES) {
      expect(model.services[name]!.environment).toMatchObject({
        EVENT_STORE_URL: 'esdb://eventstore:2113?tls=false',
        READ_MODEL_URL: 'postgres://axis:axis@postgres:5432/axis',
      });
    }
    const gateway = model.services['scim-gateway']!;
    expect(gateway.environment).toMatchObject({ HOST: '0.0.0.0', PORT: '8080', PUBLIC_URL: 'http://localhost:8080' });
    // Unset by default: the gateway then rejects every SCIM request rather than accepting a well-known token.
    expect(gateway.environment!['SCIM_BEARER_TOKEN'] ?? '').toBe('');
    expect(model.services['notifier']!.environment!['KAFKA_TOPIC']).toBe('platform.scim.events');
    expect(model.services['eventstore']!.environment).toMatchObject({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'All',
      EVENTSTORE_MEM_DB: 'false',
    });
    expect(model.services['postgres']!.environment).toMatchObject({
      POSTGRES_USER: 'axis',
      POSTGRES_PASSWORD: 'axis',
      POSTGRES_DB: 'axis',
    });
    const published = Object.entries(model.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => `${name}:${port.published}->${port.target}`),
    );
    expect(published.sort()).toEqual(['grafana:3000->3000', 'prometheus:9090->9090', 'scim-gateway:8080->8080']);
  });

  it('keeps the stores in named volumes', () => {
    expect(Object.keys(model.volumes ?? {}).sort()).toEqual(['eventstore-data', 'grafana-data', 'kafka-data', 'postgres-data', 'prometheus-data']);
    for (const name of INFRA_SERVICES) {
      const volumes = model.services[name]!.volumes ?? [];
      expect({ name, volume: volumes.some((v) => v.type === 'volume' && v.source === `${name}-data`) }).toEqual({
        name,
        volume: true,
      });
    }
  });

  it('rejects a copy that depends on a service that does not exist', () => {
    const original = readFileSync(COMPOSE_FILE, 'utf8');
    const broken = replaceOnce(original, '      kafka:\n        condition: service_healthy', '      kafak:\n        condition: service_healthy');
    const result = runCompose(writeVariant(tmp, 'missing-dependency.yml', broken), ['config', '-q']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/kafak/);
  });

  it('rejects a copy with a key the Compose specification does not know', () => {
    const original = readFileSync(COMPOSE_FILE, 'utf8');
    const broken = replaceOnce(original, '      interval: 5s\n', '      intervall: 5s\n');
    const result = runCompose(writeVariant(tmp, 'unknown-key.yml', broken), ['config', '-q']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/intervall/);
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const finalStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));

  it('builds on Node 22 LTS and ends in a non-root production stage running the all-in-one process, with a health check and OCI labels', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    const runtime = finalStage.join('\n');
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "-e", ".*\/readyz/m);
    for (const label of ['title', 'description', 'version', 'revision', 'licenses']) expect(runtime).toContain(`org.opencontainers.image.${label}=`);
    expect(finalStage[0]).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/);
    expect(finalStage).toContain('USER node');
    expect(finalStage).toContain('EXPOSE 8080');
    expect(finalStage).toContain('CMD ["node", "apps/all-in-one/dist/main.js"]');
    expect(finalStage.join('\n')).toMatch(/NODE_ENV=production/);
    // No compiler and no dev dependencies in the final image: it copies from the stages that have them.
    expect(finalStage.join('\n')).not.toMatch(/apt-get|npm (ci|install)/);
  });

  it('installs production dependencies without running the root `prepare` build, then compiles better-sqlite3', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(dockerfile).toMatch(/npm rebuild better-sqlite3/);
    expect(dockerfile).toMatch(/npm run build/);
  });

  it('keeps local artefacts out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['**/node_modules', '**/dist', 'data', 'deploy/local/.state', 'deploy/local/.kafka', '.git', '.nx']) {
      expect(ignored).toContain(entry);
    }
  });
});

/**
 * The dashboard and the alerts query metrics by name; a renamed metric or label would leave a panel
 * empty and an alert silent without any error. The list is the code's own: every metric registered
 * in the process registry (libs/platform/src/metrics/metrics.ts, default metrics included).
 */
describe('metric names in the dashboard and the alerts', () => {
  /** Exported series name -> label names a query may use on it. */
  const exported = new Map<string, Set<string>>();
  const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'deploy/grafana/axis-scim.json'), 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    templating: { list: Array<{ query?: string }> };
  };
  const alerts = load(readFileSync(join(REPO_ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
  };
  const queries: Array<{ where: string; expr: string }> = [
    ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr }))),
    ...dashboard.templating.list.flatMap((variable) => (variable.query?.includes('axis_') ? [{ where: 'dashboard variable', expr: variable.query }] : [])),
    ...alerts.groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }))),
  ];

  beforeAll(async () => {
    // Labels every scraped series gets from Prometheus.
    const targetLabels = ['job', 'instance'];
    // prom-client's typings describe the registered objects only partly: each is a Counter, Gauge, Histogram or Summary.
    for (const registered of metricsRegistry.getMetricsAsArray()) {
      const metric = registered as unknown as { get(): Promise<{ name: string; type: string }>; labelNames?: readonly string[] };
      const { name, type } = await metric.get();
      const labels = [...targetLabels, ...(metric.labelNames ?? [])];
      const series = type === 'histogram' ? ['_bucket', '_sum', '_count'].map((suffix) => name + suffix) : type === 'summary' ? [name, `${name}_sum`, `${name}_count`] : [name];
      for (const one of series) exported.set(one, new Set(one.endsWith('_bucket') ? [...labels, 'le'] : type === 'summary' && one === name ? [...labels, 'quantile'] : labels));
    }
  });

  it('reads the queries (sanity: the extraction finds the metrics the alerts are about)', () => {
    const all = queries.map((query) => query.expr).join('\n');
    for (const name of ['axis_http_requests_total', 'axis_consumer_lag_seconds', 'axis_consumer_state', 'axis_scim_rate_limited_total', 'axis_webhook_delivery_attempts_total']) {
      expect(all).toContain(name);
    }
    expect(exported.has('axis_http_requests_total')).toBe(true);
  });

  it('uses only metric names the code registers, with labels those metrics have', () => {
    const problems: string[] = [];
    for (const { where, expr } of queries) {
      const used = [...expr.matchAll(/\b(axis_[a-z0-9_]+)(\{[^}]*\})?/g)];
      const labelsOfUsed = new Set<string>();
      for (const [, name, matchers] of used) {
        const labels = exported.get(name!);
        if (!labels) {
          problems.push(`${where}: no metric ${name}`);
          continue;
        }
        labels.forEach((label) => labelsOfUsed.add(label));
        for (const [, label] of (matchers ?? '').matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"/g)) {
          if (!labels.has(label!)) problems.push(`${where}: ${name} has no label ${label}`);
        }
      }
      for (const [, grouping] of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
        for (const label of grouping!.split(',').map((part) => part.trim()).filter(Boolean)) {
          if (!labelsOfUsed.has(label)) problems.push(`${where}: groups by ${label}, which none of its metrics has`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a panel for each thing the alerts watch', () => {
    const panelExprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)).join('\n');
    expect(panelExprs).toMatch(/axis_http_request_duration_seconds_bucket/);
    expect(panelExprs).toMatch(/axis_http_requests_total\{[^}]*status=~"5\.\."/);
    expect(panelExprs).toMatch(/axis_http_requests_total\{[^}]*status="401"/);
    expect(panelExprs).toMatch(/sum by \(workspace\) \(rate\(axis_scim_rate_limited_total/);
    expect(panelExprs).toMatch(/axis_consumer_lag_seconds/);
    expect(panelExprs).toMatch(/axis_consumer_state/);
    expect(panelExprs).toMatch(/axis_webhook_delivery_attempts_total\{[^}]*outcome="dead"/);
  });
});
