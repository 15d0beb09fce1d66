import { createEventStore, type EventStore } from '@axis/event-store';
import { openTestReadModel, type TestReadModel } from '@axis/read-model/testing';
import { randomUUID } from 'node:crypto';
import { ConsumerHost } from './consumer-host';
import { consumerStates } from './consumer-states';
import { createLogger } from './logger';

describe('ConsumerHost with a role on PostgreSQL', () => {
  let readModel: TestReadModel;
  let store: EventStore;

  beforeAll(async () => {
    readModel = await openTestReadModel('postgres', 'lease');
    store = await createEventStore(':memory:');
  });

  afterAll(async () => {
    await store.close();
    await readModel.close();
  });

  async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
    for (let i = 0; i < 400; i++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** What SIGKILL of the holder does to its lock session, from the server's side. */
  async function endHolderSession(): Promise<void> {
    await readModel.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = hashtext('axis.consumer-lease')::oid AND objid = hashtext($1)::oid AND objsubid = 2`,
      [`${readModel.schema}/projector`],
    );
  }

  it('runs the consumers in one host at a time and hands them over, back and forth, when the holder loses its lock', async () => {
    const applied: Array<{ host: string; eventId: string }> = [];
    const hosts = ['a', 'b'].map(
      (name) =>
        new ConsumerHost(
          [{ name: 'lease-counter', kind: 'projection', handle: async (events) => void applied.push(...events.map((event) => ({ host: name, eventId: event.eventId }))) }],
          store,
          readModel.dataSource,
          createLogger('test', 'silent'),
          { role: 'projector', leaseRetryMs: 50, statePollMs: 0 },
        ),
    );
    const activeHosts = () => ['a', 'b'].filter((_, index) => hosts[index]!.active);
    const append = async () => {
      const eventId = randomUUID();
      await store.appendToStream(`user-ws.${eventId}`, [{ eventId, type: 'X', data: {} }]);
      await until(`event ${eventId} to be applied`, () => applied.some((entry) => entry.eventId === eventId));
      return applied.find((entry) => entry.eventId === eventId)!.host;
    };
    await Promise.all(hosts.map((host) => host.onApplicationBootstrap()));
    try {
      await until('one host to hold the lease', () => activeHosts().length === 1);
      const [first] = activeHosts();
      const second = first === 'a' ? 'b' : 'a';
      expect(await append()).toBe(first);
      expect((await consumerStates.load(readModel.dataSource, 'lease-counter'))?.heldBy).toMatch(/:\d+$/);

      await endHolderSession();
      await until('the other host to take over', () => activeHosts().join() === second);
      expect(await append()).toBe(second);

      // The first host stood by meanwhile and takes its consumers up again.
      await endHolderSession();
      await until('the first host to take over again', () => activeHosts().join() === first);
      expect(await append()).toBe(first);

      // Every event applied once, by the holder of its time: no batch was applied twice.
      expect(new Set(applied.map((entry) => entry.eventId)).size).toBe(applied.length);
      expect(applied.map((entry) => entry.host)).toEqual([first, second, first]);
    } finally {
      await Promise.all(hosts.map((host) => host.beforeApplicationShutdown()));
    }
    expect((await consumerStates.load(readModel.dataSource, 'lease-counter'))?.heldBy).toBeNull();
  });
});
