/**
 * Issue 9, crash safety: the projector is killed with SIGKILL at random points of a large
 * catch-up, several times, and restarted; the read model it ends with is identical (digest of
 * `members` and `member_emails`) to a fresh rebuild of the same history (`axis projections replay`).
 * A projection's rows and its checkpoint commit in one transaction, so no kill can lose or repeat
 * an event. PostgreSQL and SQLite.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStore } from '@axis/event-store';
import { Client } from 'pg';
import { readModelDigest, seedUserHistory } from '../support/history';
import { startApp, stopApp, waitFor } from '../support/processes';
import { runCli } from '../support/workspace-admin';

const EVENTS = Number(process.env['CRASH_TEST_EVENTS'] ?? 100_000);
const KILLS = 4;

interface Setup {
  env: Record<string, string>;
  openEventStore(): Promise<EventStore>;
  /** The members projection's committed checkpoint, read straight from the read model (null: none yet). */
  membersCheckpoint(): Promise<string | null>;
  cleanUp(): Promise<void>;
}

function postgresSetup(): Setup {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is required (. /tmp/axis-env.sh)');
  const suffix = randomBytes(4).toString('hex');
  const env = { DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: `t_es_${suffix}`, READ_MODEL_SCHEMA: `t_rm_${suffix}`, CONSUMER_STATE_POLL_MS: '200' };
  return {
    env,
    openEventStore: () => createEventStore({ url: databaseUrl, schema: env.EVENT_STORE_SCHEMA }),
    async membersCheckpoint() {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT position FROM ${env.READ_MODEL_SCHEMA}.projection_checkpoints WHERE subscriber_id = 'members'`);
        return (rows[0]?.position as string | undefined) ?? null;
      } catch {
        return null; // the projector has not created its tables yet
      } finally {
        await client.end();
      }
    },
    async cleanUp() {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${env.EVENT_STORE_SCHEMA} CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS ${env.READ_MODEL_SCHEMA} CASCADE`);
      await client.end();
    },
  };
}

function sqliteSetup(): Setup {
  const dataDir = mkdtempSync(join(tmpdir(), 'axis-crash-'));
  return {
    env: { DATA_DIR: dataDir, CONSUMER_STATE_POLL_MS: '200' },
    openEventStore: () => createEventStore({ url: `sqlite:${join(dataDir, 'events.sqlite')}` }),
    async membersCheckpoint() {
      try {
        const db = new Database(join(dataDir, 'read-model.sqlite'), { readonly: true, fileMustExist: true });
        try {
          const row = db.prepare(`SELECT position FROM projection_checkpoints WHERE subscriber_id = 'members'`).get() as { position: string } | undefined;
          return row?.position ?? null;
        } finally {
          db.close();
        }
      } catch {
        return null; // the projector has not created its database yet
      }
    },
    cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

function membersLag(setup: Setup): number | null {
  const result = runCli(setup, ['projections', 'status', '--json']);
  if (result.status !== 0) return null;
  const status = JSON.parse(result.stdout) as { consumers: Array<Record<string, unknown>> };
  const members = status.consumers.find((consumer) => consumer['name'] === 'members');
  return members ? (members['lagEvents'] as number) : null;
}

describe.each([
  ['postgres', postgresSetup],
  ['sqlite', sqliteSetup],
] as const)('projector crash safety on %s', (_name, makeSetup) => {
  let setup: Setup;

  beforeAll(() => {
    setup = makeSetup();
  });
  afterAll(async () => {
    await setup?.cleanUp();
  });

  it('ends, after repeated SIGKILLs during catch-up, with the same read model as a fresh rebuild', async () => {
    const store = await setup.openEventStore();
    const updatesPerUser = 19;
    const seeded = await seedUserHistory(store, { users: Math.ceil(EVENTS / (updatesPerUser + 1.2)), updatesPerUser });
    await store.close();

    const lagsAtKill: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const projector = startApp('projector', setup.env);
      // A random point of the catch-up, once this run has committed progress of its own: a fixed
      // delay would land before the first batch on a slow machine and after the last on a fast one.
      const before = await setup.membersCheckpoint();
      await waitFor('the projector to commit progress', async () => (await setup.membersCheckpoint()) !== before, 60_000, 10);
      await new Promise((done) => setTimeout(done, Math.floor(Math.random() * 150)));
      await stopApp(projector, 'SIGKILL');
      lagsAtKill.push(membersLag(setup) ?? -1);
      process.stderr.write(`kill ${kill}: members lag ${lagsAtKill[kill]} of ${seeded.events}\n`);
    }
    // The kills really interrupted the catch-up (not all before the first batch, not all after the last).
    expect({ lagsAtKill, interrupted: lagsAtKill.some((lag) => lag > 0 && lag < seeded.events) }).toEqual({ lagsAtKill, interrupted: true });

    const projector = startApp('projector', setup.env);
    try {
      await waitFor('the projector to catch up', async () => membersLag(setup) === 0, 180_000, 500);
    } finally {
      await stopApp(projector);
    }
    const afterCrashes = await readModelDigest(setup, ['members', 'member_emails']);
    expect(afterCrashes.rows).toBeGreaterThan(seeded.users.length);

    const rebuilt = runCli(setup, ['projections', 'replay', 'members', '--drop-old-now']);
    expect({ status: rebuilt.status, stderr: rebuilt.status === 0 ? '' : rebuilt.stderr }).toEqual({ status: 0, stderr: '' });
    expect(await readModelDigest(setup, ['members', 'member_emails'])).toEqual(afterCrashes);
  });
});
