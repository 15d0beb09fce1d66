import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { PostgresAdvisoryLock } from './postgres-advisory-lock';

describe('PostgresAdvisoryLock', () => {
  const url = process.env['DATABASE_URL']!;
  const schema = `t_lease_${randomBytes(4).toString('hex')}`;
  const lockOf = (role: string, scope = schema) =>
    new PostgresAdvisoryLock({ url, key: ['axis.consumer-lease', `${scope}/${role}`], applicationName: `lease-spec ${role}`, heartbeatMs: 100, heartbeatTimeoutMs: 500 });

  it('is held by one session at a time, per schema and role, and passes on when its session dies', async () => {
    const [first, second, otherRole, otherSchema] = [lockOf('projector'), lockOf('projector'), lockOf('notifier'), lockOf('projector', `${schema}_b`)];
    const held = await first.tryAcquire();
    expect(held).not.toBeNull();
    expect(await second.tryAcquire()).toBeNull();
    const [notifier, elsewhere] = [await otherRole.tryAcquire(), await otherSchema.tryAcquire()];
    expect(notifier).not.toBeNull();
    expect(elsewhere).not.toBeNull();

    // What SIGKILL does to the holder's session, from the server's side.
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND classid = hashtext('axis.consumer-lease')::oid AND objid = hashtext($1)::oid AND objsubid = 2`,
        [`${schema}/projector`],
      );
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await held!.lost;
    const taken = await second.tryAcquire();
    expect(taken).not.toBeNull();

    await Promise.all([taken!.release(), notifier!.release(), elsewhere!.release(), held!.release()]);
    const again = await first.tryAcquire();
    expect(again).not.toBeNull();
    await again!.release();
    await Promise.all([first, second, otherRole, otherSchema].map((lock) => lock.close()));
  });

  it('counts the lock as lost when its session stops answering (a network partition), within the heartbeat timeout', async () => {
    // A TCP proxy to the server that can go silent: what a cut cable looks like to the holder.
    const serverPort = Number(/[?&]port=(\d+)/.exec(url)?.[1] ?? /@[^/?]*:(\d+)[/?]/.exec(url)?.[1] ?? 5432);
    const proxy = await silenceableProxy(serverPort);
    const tcpUrl = url.replace(/^(postgres(?:ql)?:\/\/[^@]*@)[^/]*(\/[^?]*).*$/, `$1127.0.0.1:${proxy.port}$2`);
    const lock = new PostgresAdvisoryLock({ url: tcpUrl, key: ['axis.consumer-lease', `${schema}/partitioned`], applicationName: 'lease-spec partitioned', heartbeatMs: 100, heartbeatTimeoutMs: 500 });
    try {
      const held = await lock.tryAcquire();
      expect(held).not.toBeNull();
      let lostAt = 0;
      void held!.lost.then(() => (lostAt = Date.now()));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(lostAt).toBe(0);
      const silencedAt = Date.now();
      proxy.silence();
      await held!.lost;
      // The heartbeat's interval plus its timeout, with room for a busy machine.
      expect(lostAt - silencedAt).toBeLessThan(5000);
      await held!.release();
    } finally {
      await lock.close();
      await proxy.close();
    }
  });
});

/** Forwards TCP to the local server (on 127.0.0.1) until `silence()`, after which it passes nothing either way (sockets stay open). */
async function silenceableProxy(serverPort: number): Promise<{ port: number; silence(): void; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  let silent = false;
  const server: Server = createServer((client) => {
    const upstream = connect(serverPort, '127.0.0.1');
    sockets.push(client, upstream);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('data', (chunk) => {
        if (!silent) to.write(chunk);
      });
      from.on('error', () => undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    silence: () => {
      silent = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

