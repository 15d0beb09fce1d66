import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { membersProjection } from './members.projection';
import { perEventMembersProjection } from './testing/per-event-members.projection';

/** A small deterministic PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A random history of a few users: every event type, in any order the projection may meet. */
function history(seed: number, length: number): RecordedEvent[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const users = Array.from({ length: 6 }, () => randomUUID());
  const revisions = new Map<string, number>();
  const events: RecordedEvent[] = [];
  for (let n = 0; n < length; n++) {
    const userId = pick(users);
    const revision = (revisions.get(userId) ?? -1) + 1;
    revisions.set(userId, revision);
    const userName = `u${users.indexOf(userId)}-${n}@example.com`;
    const attributes = { userName, name: { givenName: 'G', familyName: `F${n}` }, emails: [{ value: userName, primary: true }, { value: `alt-${n}@example.com`, type: 'home' }], active: true };
    const type = pick([
      'ACCOUNT_SCIM_USER_CREATED',
      'ACCOUNT_SCIM_USER_UPDATED',
      'ACCOUNT_SCIM_USER_UPDATED',
      'ACCOUNT_SCIM_USER_UPDATED',
      'ACCOUNT_SCIM_USER_DEACTIVATED',
      'ACCOUNT_SCIM_USER_REACTIVATED',
      'ACCOUNT_SCIM_USER_DELETED',
      'ACCOUNT_LOCAL_MEMBER_CREATED',
      'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED',
      'ACCOUNT_SCIM_USER_MERGED',
    ] as const);
    const data: Record<string, unknown> =
      type === 'ACCOUNT_SCIM_USER_CREATED' || type === 'ACCOUNT_SCIM_USER_MERGED'
        ? { userId, userName, externalId: `ext-${n}`, active: random() < 0.8, attributes, ...(type === 'ACCOUNT_SCIM_USER_MERGED' ? { mergedBy: 'auto' } : {}) }
        : type === 'ACCOUNT_SCIM_USER_UPDATED'
          ? {
              userId,
              changedAttributes: ['x'],
              changes: pick([{ displayName: `D${n}` }, { displayName: null }, { emails: [{ value: `new-${n}@example.com`, primary: true }] }, { emails: null }, { userName: `renamed-${n}` }]),
            }
          : type === 'ACCOUNT_LOCAL_MEMBER_CREATED'
            ? { userId, userName, email: userName, displayName: random() < 0.5 ? `L${n}` : null }
            : { userId };
    events.push({
      eventId: randomUUID(),
      type,
      streamName: `user-ws.${userId}`,
      revision,
      position: String(n + 1).padStart(20, '0'),
      data,
      metadata: { workspaceId: 'ws', occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() },
      recordedAt: new Date(),
    });
  }
  return events;
}

async function rows(readModel: DataSource): Promise<unknown> {
  return {
    members: await readModel.query('SELECT * FROM members ORDER BY id'),
    emails: await readModel.query('SELECT * FROM member_emails ORDER BY member_id, ordinal'),
  };
}

/** Applies events as one projection would, in batches; a failing batch is skipped as a whole (rolled back). */
async function project(readModel: DataSource, handle: typeof membersProjection.handle, batches: RecordedEvent[][]): Promise<number> {
  let failed = 0;
  for (const batch of batches) {
    try {
      await readModel.transaction((manager) => handle(batch, manager));
    } catch {
      failed++;
    }
  }
  return failed;
}

describe('members projection (batched) against the per-event reference', () => {
  let batched: DataSource;
  let reference: DataSource;

  beforeEach(async () => {
    batched = await openReadModel({ url: ':memory:' });
    reference = await openReadModel({ url: ':memory:' });
  });
  afterEach(async () => {
    await batched.destroy();
    await reference.destroy();
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('builds the same rows from random history #%i, whatever the batch sizes', async (seed) => {
    const events = history(seed, 120);
    const random = prng(seed * 7);
    const batches: RecordedEvent[][] = [];
    for (let start = 0; start < events.length; ) {
      const size = 1 + Math.floor(random() * 25);
      batches.push(events.slice(start, start + size));
      start += size;
    }
    // Same batch boundaries for both, so a batch that fails (a duplicate create) fails in both.
    const failedReference = await project(reference, perEventMembersProjection.handle.bind(perEventMembersProjection), batches);
    const failedBatched = await project(batched, membersProjection.handle.bind(membersProjection), batches);
    expect(failedBatched).toBe(failedReference);
    expect(await rows(batched)).toEqual(await rows(reference));
  });
});
