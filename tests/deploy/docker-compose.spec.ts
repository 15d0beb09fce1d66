/**
 * The Docker deployment, checked without a Docker engine: `docker compose config` validates
 * docker-compose.yml against the Compose specification, resolves anchors, merges and interpolation,
 * and prints the normalised model that the assertions below read. deploy/compose/ensure-compose.sh
 * makes the command available (it builds the Compose v2 plugin once per machine, then caches it).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');
const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const ENSURE_COMPOSE = join(REPO_ROOT, 'deploy/compose/ensure-compose.sh');

const PRODUCT_SERVICES = ['scim-gateway', 'projector', 'notifier'] as const;
const INFRA_SERVICES = ['eventstore', 'kafka', 'postgres'] as const;

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

  it('has the three stores and the three services', () => {
    expect(Object.keys(model.services).sort()).toEqual([...INFRA_SERVICES, ...PRODUCT_SERVICES].sort());
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

  it('points the services at the stores and publishes only the gateway', () => {
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
    expect(published).toEqual(['scim-gateway:8080->8080']);
  });

  it('keeps the stores in named volumes', () => {
    expect(Object.keys(model.volumes ?? {}).sort()).toEqual(['eventstore-data', 'kafka-data', 'postgres-data']);
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
