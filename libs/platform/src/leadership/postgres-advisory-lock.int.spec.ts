import { randomBytes } from 'node:crypto';
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
});
