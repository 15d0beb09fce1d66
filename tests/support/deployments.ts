import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStore } from '@axis/event-store';
import { Client } from 'pg';
import { freePort, hasExited, startApp, stopApp, waitFor, type RunningApp } from './processes';
import { requiredEnv } from './required-env';

/** A running product the tests talk to over HTTP, plus a handle on its event store. */
export interface Deployment {
  name: string;
  baseUrl: string;
  token: string;
  /** Opens the deployment's event store from the test process (close it after use). */
  openEventStore(): Promise<EventStore>;
  stop(): Promise<void>;
  output(): string;
  /** Where its processes serve Prometheus metrics (consumer lag included). */
  metricsUrls: string[];
  /** The deployment's processes, for RSS and fault injection. */
  pids(): Array<{ name: string; pid: number | undefined }>;
  /** The environment its processes run with: the CLI, run with it, works on the same stores. */
  env: Record<string, string>;
}

export type DeploymentKind = 'embedded' | 'postgres';

export function startDeployment(kind: DeploymentKind, extraEnv: Record<string, string> = {}): Promise<Deployment> {
  return kind === 'embedded' ? startEmbedded(extraEnv) : startThreeProcesses(extraEnv);
}

/** The all-in-one process on SQLite files in a temporary DATA_DIR. */
export async function startEmbedded(extraEnv: Record<string, string> = {}): Promise<Deployment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'axis-test-'));
  const token = testToken();
  const port = await freePort();
  const env = { DATA_DIR: dataDir, PORT: String(port), SCIM_BEARER_TOKEN: token, ...UNLIMITED, ...extraEnv };
  const app = startApp('all-in-one', env);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady([`${baseUrl}/readyz`], [app]);
  return {
    name: 'embedded (SQLite, one process)',
    baseUrl,
    token,
    openEventStore: () => createEventStore({ url: `sqlite:${join(dataDir, 'events.sqlite')}` }),
    output: () => app.output(),
    metricsUrls: [`${baseUrl}/metrics`],
    pids: () => [{ name: app.name, pid: app.process.pid }],
    env,
    stop: async () => {
      await stopApp(app);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ConsumerRole = 'projector' | 'notifier';

/** How many processes of each consumer role to start (one of each by default). */
export type Replicas = Partial<Record<`${ConsumerRole}s`, number>>;

/** One projector or notifier process and where it serves /metrics, /healthz, /readyz. */
export interface ConsumerProcess {
  app: RunningApp;
  opsUrl: string;
}

export interface ThreeProcessDeployment extends Deployment {
  /** The processes of a role started so far (killed ones included: check `hasExited`), oldest first. */
  consumerProcesses(role: ConsumerRole): ConsumerProcess[];
  /** Starts one more process of the role, ready when this resolves; stopped with the deployment. */
  startConsumerProcess(role: ConsumerRole): Promise<ConsumerProcess>;
}

/**
 * Gateway, projector and notifier as three processes on PostgreSQL (own schemas), Kafka optional.
 * `replicas` starts more than one projector or notifier (one of each holds the lease and works).
 */
export async function startThreeProcesses(extraEnv: Record<string, string> = {}, replicas: Replicas = {}): Promise<ThreeProcessDeployment> {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const suffix = randomBytes(4).toString('hex');
  const eventStoreSchema = `t_es_${suffix}`;
  const readModelSchema = `t_rm_${suffix}`;
  const token = testToken();
  const port = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    EVENT_STORE_SCHEMA: eventStoreSchema,
    READ_MODEL_SCHEMA: readModelSchema,
    SCIM_BEARER_TOKEN: token,
    PORT: String(port),
    ...UNLIMITED,
    ...extraEnv,
  };
  const apps: RunningApp[] = [startApp('scim-gateway', env)];
  const consumers: Record<ConsumerRole, ConsumerProcess[]> = { projector: [], notifier: [] };
  const startConsumer = async (role: ConsumerRole): Promise<ConsumerProcess> => {
    const metricsPort = await freePort();
    const started = { app: startApp(role, { ...env, METRICS_PORT: String(metricsPort) }), opsUrl: `http://127.0.0.1:${metricsPort}` };
    apps.push(started.app);
    consumers[role].push(started);
    return started;
  };
  for (const role of ['projector', 'notifier'] as const) {
    for (let replica = 0; replica < (replicas[`${role}s`] ?? 1); replica++) await startConsumer(role);
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const opsUrls = [baseUrl, ...[...consumers.projector, ...consumers.notifier].map((consumer) => consumer.opsUrl)];
  await waitUntilReady(opsUrls.map((url) => `${url}/readyz`), apps);
  return {
    name: 'three processes on PostgreSQL',
    baseUrl,
    token,
    openEventStore: () => createEventStore({ url: databaseUrl, schema: eventStoreSchema }),
    output: () => outputOf(apps),
    metricsUrls: opsUrls.map((url) => `${url}/metrics`),
    pids: () => apps.map((app) => ({ name: app.name, pid: app.process.pid })),
    env,
    consumerProcesses: (role) => [...consumers[role]],
    startConsumerProcess: async (role) => {
      const started = await startConsumer(role);
      await waitUntilReady([`${started.opsUrl}/readyz`], [started.app]);
      return started;
    },
    stop: async () => {
      await Promise.all(apps.map((app) => stopApp(app)));
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${eventStoreSchema} CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS ${readModelSchema} CASCADE`);
      await client.end();
    },
  };
}

function outputOf(apps: RunningApp[]): string {
  return apps.map((app) => `--- ${app.name}\n${app.output()}`).join('\n');
}

/** Tests and benchmarks drive one workspace far above any sane IdP rate; the rate-limit test sets its own. */
const UNLIMITED = { SCIM_RATE_LIMIT_PER_SECOND: '0' };

export function testToken(): string {
  return `scim_${randomBytes(24).toString('hex')}`;
}

/**
 * Every process answers /readyz. A process that exits meanwhile fails the start at once with its
 * output (the others are stopped), rather than leaving a deployment that lacks a part.
 */
async function waitUntilReady(readyUrls: string[], apps: RunningApp[]): Promise<void> {
  let exited: RunningApp | undefined;
  let failure: string | undefined;
  try {
    await waitFor(
      'every process to be ready',
      async () => {
        exited = apps.find(hasExited);
        if (exited) return true;
        const answers = await Promise.all(readyUrls.map((url) => fetch(url).then((response) => response.ok)));
        return answers.every(Boolean);
      },
      60_000,
    );
  } catch (error) {
    failure = (error as Error).message;
  }
  if (exited) failure = `${exited.name} exited during startup (${exited.process.exitCode ?? exited.process.signalCode})`;
  if (failure === undefined) return;
  await Promise.all(apps.map((app) => stopApp(app)));
  throw new Error(`${failure}\n${outputOf(apps)}`);
}

/** A response body as tests assert on it: loose JSON, checked by expectations rather than types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScimBody = Record<string, any>;

/** A small SCIM client bound to a deployment. */
export function scimClient(deployment: Deployment) {
  const headers = { authorization: `Bearer ${deployment.token}`, 'content-type': 'application/scim+json' };
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const response = await fetch(`${deployment.baseUrl}/scim/v2${path}`, {
      method,
      headers: { ...headers, ...extra },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as ScimBody) : undefined };
  };
  return {
    get: (path: string, extra?: Record<string, string>) => call('GET', path, undefined, extra),
    post: (path: string, body: unknown, extra?: Record<string, string>) => call('POST', path, body, extra),
    put: (path: string, body: unknown, extra?: Record<string, string>) => call('PUT', path, body, extra),
    patch: (path: string, body: unknown, extra?: Record<string, string>) => call('PATCH', path, body, extra),
    delete: (path: string, extra?: Record<string, string>) => call('DELETE', path, undefined, extra),
  };
}

export const USER_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP_URI = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Another gateway process on a running deployment's stores: what a second replica behind a load balancer is. */
export async function startGatewayReplica(deployment: Deployment): Promise<{ baseUrl: string; pid: number | undefined; stop(): Promise<void> }> {
  const port = await freePort();
  const app = startApp('scim-gateway', { ...deployment.env, PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady([`${baseUrl}/readyz`], [app]);
  return { baseUrl, pid: app.process.pid, stop: () => stopApp(app) };
}
