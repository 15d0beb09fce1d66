/**
 * A Kafka broker of a test's own — same jars as deploy/local/up.sh, its own ports and state
 * directory — so a fault test can stop and restart it without disturbing the shared broker other
 * suites (running in parallel jest workers) use.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, REPO_ROOT } from './processes';

export interface PrivateKafkaBroker {
  brokers: string;
  start(): Promise<void>;
  /** SIGTERM (controlled shutdown), SIGKILL after 30 s; resolves when the JVM has exited. */
  stop(): Promise<void>;
  /** Stops it if running and removes its state. */
  destroy(): Promise<void>;
  readonly running: boolean;
}

function kafkaLibDir(): string {
  const local = join(REPO_ROOT, 'deploy/local/.kafka/lib');
  if (existsSync(join(local, '.complete'))) return local;
  const cache = join(process.env['AXIS_CACHE_DIR'] ?? join(homedir(), '.cache/axis-local'));
  const candidate = existsSync(cache) ? readdirSync(cache).find((name) => name.startsWith('kafka-lib-')) : undefined;
  if (candidate) return join(cache, candidate);
  throw new Error('no Kafka jars: run deploy/local/up.sh --only kafka once (it downloads them)');
}

export async function createPrivateKafkaBroker(): Promise<PrivateKafkaBroker> {
  const lib = kafkaLibDir();
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const state = mkdtempSync(join(tmpdir(), 'axis-private-kafka-'));
  const data = join(state, 'data');
  const logs = join(state, 'logs');
  mkdirSync(data);
  mkdirSync(logs);
  const properties = join(state, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${data}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  const java = (args: string[], heap: string[]) =>
    spawn('java', [...heap, '-Djava.awt.headless=true', `-Dkafka.logs.dir=${logs}`,
      `-Dlog4j2.configurationFile=${join(REPO_ROOT, 'deploy/local/kafka/log4j2.properties')}`, '-cp', `${lib}/*`, ...args], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
  await new Promise<void>((done, fail) => {
    const format = java(['kafka.tools.StorageTool', 'format', '--ignore-formatted', '-t', randomClusterId(), '-c', properties], [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
    ]);
    format.once('exit', (code) => (code === 0 ? done() : fail(new Error(`kafka storage format exited ${code}`))));
  });

  let jvm: ChildProcess | null = null;
  const brokers = `127.0.0.1:${port}`;
  const broker: PrivateKafkaBroker = {
    brokers,
    get running() {
      return jvm !== null;
    },
    async start() {
      if (jvm) return;
      jvm = java(['kafka.Kafka', properties], ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC']);
      const child = jvm;
      child.once('exit', () => {
        if (jvm === child) jvm = null;
      });
      await waitForBroker(brokers, 90_000);
    },
    async stop() {
      const child = jvm;
      if (!child) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      jvm = null;
    },
    async destroy() {
      await broker.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
  return broker;
}

/** Kafka's own rule: an id starting with '-' would be read as an option by the storage tool (1 in 64). */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function waitForBroker(brokers: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = new Kafka({ clientId: 'private-broker-probe', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`private Kafka broker on ${brokers} did not start: ${String(error)}`);
      await new Promise((done) => setTimeout(done, 500));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
