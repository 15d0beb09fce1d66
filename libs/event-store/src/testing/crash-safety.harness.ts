import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../event-store.port';
import type { CommittedEvent } from './delivery-checker';
import { CHILD_SCRIPT } from './built-dist';

export interface AppendingChild {
  process: ChildProcess;
  committed: CommittedEvent[];
  acknowledgedAppends(): number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts the child appender; `env` selects the store (SQLITE_FILE or DATABASE_URL + SCHEMA) and the pace. */
export function startAppendingChild(entry: string, env: Record<string, string>): AppendingChild {
  const child = spawn(process.execPath, [CHILD_SCRIPT], {
    env: { ...process.env, ...env, EVENT_STORE_ENTRY: entry },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const committed: CommittedEvent[] = [];
  let appends = 0;
  let buffered = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const ack = JSON.parse(line) as { streamName: string; eventIds: string[]; nextExpectedRevision: number };
      const first = ack.nextExpectedRevision - ack.eventIds.length + 1;
      ack.eventIds.forEach((eventId, k) => committed.push({ eventId, streamName: ack.streamName, revision: first + k }));
      appends += 1;
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { process: child, committed, acknowledgedAppends: () => appends, exited };
}

export async function waitForAppends(child: AppendingChild, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (child.acknowledgedAppends() < count) {
    if (Date.now() > deadline) throw new Error(`child acknowledged only ${child.acknowledgedAppends()} appends`);
    if (child.process.exitCode !== null) throw new Error(`child exited early: ${(await child.exited).stderr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * After the kill: every stream holds whole batches (a multiple of `batchSize`) with revisions 0..n-1,
 * each batch's events written by one append, every acknowledged event present, and the store writable.
 */
export async function expectIntactAfterKill(store: EventStore, streams: string[], batchSize: number, acknowledged: CommittedEvent[]): Promise<number> {
  let total = 0;
  const stored = new Set<string>();
  for (const streamName of streams) {
    const events = await store.readStream(streamName);
    expect(events.length % batchSize).toBe(0);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    for (let start = 0; start < events.length; start += batchSize) {
      const batch = events.slice(start, start + batchSize);
      expect(batch.map((e) => (e.data as { index: number }).index)).toEqual(batch.map((_, k) => k));
      expect(new Set(batch.map((e) => `${(e.data as { writer: string }).writer}/${(e.data as { append: number }).append}`)).size).toBe(1);
    }
    events.forEach((e) => stored.add(e.eventId));
    total += events.length;
  }
  expect(acknowledged.filter((e) => !stored.has(e.eventId))).toEqual([]);
  const all: RecordedEvent[] = [];
  for (let after: string | 'start' = 'start'; ; ) {
    const page = await store.readAll({ after, maxCount: 1000 });
    all.push(...page);
    if (page.length < 1000) break;
    after = page[page.length - 1].position;
  }
  expect(all).toHaveLength(total);
  const current = (await store.readStream(streams[0])).length - 1;
  const next = await store.appendToStream(streams[0], [{ eventId: randomUUID(), type: 'AfterCrash', data: {} }], {
    expectedRevision: current >= 0 ? current : 'no_stream',
  });
  expect(next.nextExpectedRevision).toBe(current + 1);
  return total;
}
