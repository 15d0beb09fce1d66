/**
 * Issue #24 item 3: two projectors and two notifiers on PostgreSQL (with Kafka) while SCIM writes
 * go on. Exactly one process of each role holds its lease and applies batches; SIGKILL the holder
 * (several times, a new standby started each time) and the standby takes over. Afterwards the read
 * model is what the event store says (every user once, in its last state; the member rows equal a
 * fresh rebuild, which an old batch applied again after a newer one would break), the audit log has
 * every event, Kafka has every event at least once under its CloudEvent id, the standby applied
 * nothing, and `projections status` names the holders.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Client } from 'pg';
import { type ConsumerProcess, type ConsumerRole, PATCH_OP_URI, scimClient, startThreeProcesses, type ThreeProcessDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { readModelDigest } from '../support/history';
import { deliveryProblems, KafkaCollector, storedOutboundEvents } from '../support/notifier-deployment';
import { hasExited, stopApp, waitFor } from '../support/processes';
import { requiredEnv } from '../support/required-env';
import { runCli } from '../support/workspace-admin';

jest.setTimeout(240_000);

const KILLS_PER_ROLE = 3;
const WRITERS = 4;

interface WrittenUser {
  userName: string;
  title: string;
  active: boolean;
}

describe('consumer failover: two projectors and two notifiers on PostgreSQL', () => {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const brokers = requiredEnv('KAFKA_BROKERS');
  const topic = `platform.scim.events.failover-${randomBytes(4).toString('hex')}`;
  let deployment: ThreeProcessDeployment;
  let collector: KafkaCollector;
  const db = new Client({ connectionString: databaseUrl });
  /** Every time two live processes of a role said they held its lease at once. */
  const doubleHolders: string[] = [];

  beforeAll(async () => {
    deployment = await startThreeProcesses({ KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic, KAFKA_TOPIC_PARTITIONS: '3' }, { projectors: 2, notifiers: 2 });
    collector = new KafkaCollector(brokers, topic);
    await collector.start();
    await db.connect();
  });

  afterAll(async () => {
    await collector?.stop();
    await db.end().catch(() => undefined);
    await deployment?.stop();
  });

  /** The one live process of the role that holds its lease (undefined while none does). */
  async function holderOf(role: ConsumerRole): Promise<ConsumerProcess | undefined> {
    const live = deployment.consumerProcesses(role).filter((candidate) => !hasExited(candidate.app));
    const leading = await Promise.all(live.map(async (candidate) => ((await leaderGauge(candidate, role)) === 1 ? candidate : null)));
    const holders = leading.filter((candidate): candidate is ConsumerProcess => candidate !== null);
    if (holders.length > 1) doubleHolders.push(`${role}: ${holders.map((holder) => holder.app.process.pid).join(', ')}`);
    return holders.length === 1 ? holders[0] : undefined;
  }

  it('hands the batches over to the standby on SIGKILL, applying no event twice and losing none', async () => {
    const writer = startWriting(deployment, WRITERS);
    const takeoverMs: Record<ConsumerRole, number[]> = { projector: [], notifier: [] };
    try {
      for (const role of ['projector', 'notifier'] as const) {
        for (let kill = 0; kill < KILLS_PER_ROLE; kill++) {
          const holder = await waitFor(`a ${role} to hold the lease`, () => holderOf(role), 60_000, 50);
          // Kill while writes flow: a few more users written since the last kill.
          const written = writer.users.size;
          await waitFor('the writers to make progress', async () => writer.users.size >= written + 5 || writer.failures.length > 0, 60_000, 20);
          const killedAt = Date.now();
          await stopApp(holder.app, 'SIGKILL');
          const next = await waitFor(`the standby ${role} to take over`, () => holderOf(role), 60_000, 20);
          takeoverMs[role].push(Date.now() - killedAt);
          expect(next.app.process.pid).not.toBe(holder.app.process.pid);
          await deployment.startConsumerProcess(role);
        }
      }
    } finally {
      await writer.stop();
    }
    process.stdout.write(`takeover after SIGKILL (ms): projector ${takeoverMs.projector.join(', ')}; notifier ${takeoverMs.notifier.join(', ')}\n`);
    expect(writer.failures).toEqual([]);
    expect(doubleHolders).toEqual([]);
    expect(takeoverMs.projector).toHaveLength(KILLS_PER_ROLE);
    expect(takeoverMs.notifier).toHaveLength(KILLS_PER_ROLE);

    await waitFor('every consumer to catch up', async () => consumerStatuses().every((consumer) => consumer.lagEvents === 0), 120_000, 500);
    const holders = { projector: (await holderOf('projector'))!, notifier: (await holderOf('notifier'))! };
    expect(holders.projector).toBeDefined();
    expect(holders.notifier).toBeDefined();

    // Kafka: every outbound event at least once, under its event id, in stream order per key.
    const stored = await storedOutboundEvents({ db, eventStoreSchema: deployment.env['EVENT_STORE_SCHEMA']! });
    await waitFor('every event on Kafka', async () => stored.every((event) => collector.has(event.eventId)), 60_000, 200);
    expect(deliveryProblems(stored, collector)).toEqual([]);
    process.stdout.write(`${stored.length} events on Kafka, ${collector.messages.length - collector.unique().length} duplicates (same ce_id)\n`);

    // Audit log: one entry per event of the user streams.
    const es = deployment.env['EVENT_STORE_SCHEMA']!;
    const rm = deployment.env['READ_MODEL_SCHEMA']!;
    const { rows: missingAudit } = await db.query(
      `SELECT e.event_id FROM ${es}.events e WHERE e.stream_name LIKE 'user-%' AND NOT EXISTS (SELECT 1 FROM ${rm}.audit_entries a WHERE a.id = e.event_id::text)`,
    );
    expect(missingAudit).toEqual([]);
    const { rows: duplicateAudit } = await db.query(`SELECT id, count(*) FROM ${rm}.audit_entries GROUP BY id HAVING count(*) > 1`);
    expect(duplicateAudit).toEqual([]);

    // Members: every user written exactly once, in the state it was last written.
    const listed = await listUsers(deployment);
    expect(listed.length).toBe(writer.users.size);
    expect(Object.fromEntries(listed.map((user) => [user.id, { userName: user.userName, title: user.title, active: user.active }]))).toEqual(
      Object.fromEntries(writer.users),
    );

    // The standbys (started after the last kills) never applied a batch.
    for (const role of ['projector', 'notifier'] as const) {
      const standbys = deployment.consumerProcesses(role).filter((candidate) => !hasExited(candidate.app) && candidate !== holders[role]);
      expect(standbys).toHaveLength(1);
      expect(await metricText(standbys[0]!)).not.toMatch(/^axis_consumer_events_processed_total\{[^}]*\} [1-9]/m);
      expect(await leaderGauge(standbys[0]!, role)).toBe(0);
    }

    // projections status names the holder of every consumer.
    const holderName = (role: ConsumerRole) => `${hostname()}:${holders[role].app.process.pid}`;
    const statuses = consumerStatuses();
    expect(Object.fromEntries(statuses.map((consumer) => [consumer.name, consumer.heldBy]))).toEqual({
      members: holderName('projector'),
      groups: holderName('projector'),
      workspaces: holderName('projector'),
      'session-revoker': holderName('projector'),
      'group-membership': holderName('projector'),
      audit: holderName('notifier'),
      webhooks: holderName('notifier'),
      kafka: holderName('notifier'),
    });
    const table = runCli(deployment, ['projections', 'status']);
    process.stdout.write(`${table.stdout}\n`);
    expect(table.stdout).toContain(`${holderName('projector')} since`);

    // No batch applied twice out of order: the member rows equal a fresh rebuild of the history.
    const live = await readModelDigest(deployment, ['members', 'member_emails']);
    const rebuilt = runCli(deployment, ['projections', 'replay', 'members', '--drop-old-now']);
    expect({ status: rebuilt.status, stderr: rebuilt.status === 0 ? '' : rebuilt.stderr }).toEqual({ status: 0, stderr: '' });
    expect(await readModelDigest(deployment, ['members', 'member_emails'])).toEqual(live);
  });

  function consumerStatuses(): Array<{ name: string; lagEvents: number; heldBy: string | null }> {
    const result = runCli(deployment, ['projections', 'status', '--json']);
    if (result.status !== 0) throw new Error(`projections status failed: ${result.stderr}`);
    return (JSON.parse(result.stdout) as { consumers: Array<{ name: string; lagEvents: number; heldBy: string | null }> }).consumers;
  }
});

async function metricText(consumer: ConsumerProcess): Promise<string> {
  return (await fetch(`${consumer.opsUrl}/metrics`)).text();
}

/** `axis_consumer_leader{role}` of a process: 1 holding, 0 standing by, null when it does not answer. */
async function leaderGauge(consumer: ConsumerProcess, role: ConsumerRole): Promise<number | null> {
  const text = await metricText(consumer).catch(() => '');
  const match = new RegExp(`^axis_consumer_leader\\{role="${role}"\\} (\\d)`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

/** Writers creating users and patching them (title, sometimes active) until stopped; what each user was last set to. */
function startWriting(deployment: ThreeProcessDeployment, writers: number) {
  const scim = scimClient(deployment);
  const users = new Map<string, WrittenUser>();
  const failures: string[] = [];
  let stopped = false;
  const writer = async (index: number) => {
    for (let n = 0; !stopped && failures.length === 0; n++) {
      const userName = `failover.${index}.${n}@example.com`;
      const created = await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName, title: 'v0', active: true });
      if (created.status !== 201) {
        failures.push(`POST ${userName}: ${created.status} ${JSON.stringify(created.body)}`);
        return;
      }
      const id = String(created.body!['id']);
      users.set(id, { userName, title: 'v0', active: true });
      for (const [version, active] of [
        [1, true],
        [2, n % 3 !== 0],
      ] as const) {
        const patched = await scim.patch(`/Users/${id}`, {
          schemas: [PATCH_OP_URI],
          Operations: [{ op: 'replace', value: { title: `v${version}`, active } }],
        });
        if (patched.status !== 200) {
          failures.push(`PATCH ${userName}: ${patched.status} ${JSON.stringify(patched.body)}`);
          return;
        }
        users.set(id, { userName, title: `v${version}`, active });
      }
    }
  };
  const running = Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
  return {
    users,
    failures,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

async function listUsers(deployment: ThreeProcessDeployment): Promise<Array<{ id: string; userName: string; title: string; active: boolean }>> {
  const scim = scimClient(deployment);
  const users: Array<{ id: string; userName: string; title: string; active: boolean }> = [];
  for (let startIndex = 1; ; startIndex += 100) {
    const page = await scim.get(`/Users?startIndex=${startIndex}&count=100`);
    if (page.status !== 200) throw new Error(`GET /Users answered ${page.status}`);
    const resources = (page.body!['Resources'] ?? []) as Array<Record<string, unknown>>;
    for (const resource of resources) users.push({ id: String(resource['id']), userName: String(resource['userName']), title: String(resource['title']), active: resource['active'] === true });
    if (resources.length === 0 || startIndex + resources.length > Number(page.body!['totalResults'])) return users;
  }
}
