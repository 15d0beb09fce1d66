import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store.adapter';
import { ensureBuiltLibrary } from './testing/built-dist';
import { expectIntactAfterKill, startAppendingChild, waitForAppends } from './testing/crash-safety.harness';
import { checkDelivery, type CommittedEvent } from './testing';
import type { RecordedEvent } from './event-store.port';

jest.setTimeout(180_000);

const directory = mkdtempSync(join(tmpdir(), 'axis-es-crash-'));
let entry: string;
beforeAll(async () => {
  entry = await ensureBuiltLibrary();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const STREAMS = ['crash-0', 'crash-1', 'crash-2', 'crash-3'];

describe('SQLite crash safety (SIGKILL mid-append)', () => {
  it.each([
    ['in a tight append loop', 0],
    ['while a commit is held open', 15],
  ])('leaves only whole batches %s and keeps accepting appends', async (_label, commitDelayMs) => {
    const sqliteFile = join(directory, `crash-${commitDelayMs}.db`);
    const acknowledged: CommittedEvent[] = [];
    for (let round = 0; round < 3; round += 1) {
      const child = startAppendingChild(entry, { SQLITE_FILE: sqliteFile, COMMIT_DELAY_MS: String(commitDelayMs), WRITER: `w${round}` });
      await waitForAppends(child, 20 + round * 5);
      // Let it run a random moment more so the kill lands anywhere in the append cycle.
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      acknowledged.push(...child.committed);
    }
    const store = SqliteEventStore.open({ filename: sqliteFile });
    const total = await expectIntactAfterKill(store, STREAMS, 5, acknowledged);
    expect(total).toBeGreaterThanOrEqual(acknowledged.length);
    const writer = (store as unknown as { writer: import('better-sqlite3').Database }).writer;
    expect(writer.pragma('integrity_check', { simple: true })).toBe('ok');
    await store.close();
  });
});

describe('SQLite with several writer processes', () => {
  it('delivers every event committed by 4 processes with held commits exactly once, streams in order', async () => {
    const sqliteFile = join(directory, 'multi.db');
    const store = SqliteEventStore.open({ filename: sqliteFile });
    const delivered: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ after: 'start', batchSize: 16 }, async (batch) => void delivered.push(...batch));
    const children = [0, 1, 2, 3].map((i) =>
      startAppendingChild(entry, {
        SQLITE_FILE: sqliteFile,
        COMMIT_DELAY_MS: String([0, 3, 7, 1][i]),
        WRITER: `proc${i}`,
        APPENDS: '40',
        BATCH_SIZE: String(1 + i),
        STREAMS: '3',
        STREAM_PREFIX: 'multi-',
      }),
    );
    const exits = await Promise.all(children.map((child) => child.exited));
    expect(exits.map((e) => [e.code, e.stderr])).toEqual(exits.map(() => [0, '']));
    const committed = children.flatMap((child) => child.committed);
    const deadline = Date.now() + 20_000;
    while (delivered.length < committed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    await subscription.stop();
    expect(committed).toHaveLength(40 * (1 + 2 + 3 + 4));
    expect(checkDelivery(committed, delivered)).toEqual({
      missing: [],
      duplicated: [],
      unexpected: [],
      streamsOutOfOrder: [],
      positionsNotIncreasing: [],
    });
    await store.close();
  });
});
