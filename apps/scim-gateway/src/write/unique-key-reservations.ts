import { createHash } from 'node:crypto';
import { type DomainEvent, STREAM_CATEGORY } from '@axis/domain';
import { type EventStore, type StreamAppend, WrongExpectedRevisionError } from '@axis/event-store';
import { appendEvents, streamAppendOf, type WriteContext } from '@axis/write';

/** A reservation whose owner never appeared this long after it was taken is a leftover of a crash. */
export const ORPHAN_AFTER_MS = 60_000;
const MAX_ATTEMPTS = 10;

/** The values one owner holds, by kind (`userName`, `email`, `groupDisplayName` …), normalised for comparison. */
export type UniqueKeys = Readonly<Record<string, string | undefined>>;

export interface Reservation {
  ownerId: string;
  /** ISO time the reservation was taken. */
  reservedAt: string;
}

/** What differs between users, groups …: event names, owner field, the conflict error, liveness. */
export interface UniqueKeyPolicy {
  reservedType: string;
  releasedType: string;
  /** Data field naming the owner: `userId`, `groupId`. */
  ownerField: string;
  /** The error for a value held by another live owner (a ScimError, or a domain error the caller maps). */
  conflict(kind: string, holderId: string): Error;
  /** Whether the holder of a reservation is live and still has this value (or is still being created). */
  stillHolds(holder: Reservation, kind: string, value: string, workspaceId: string): Promise<boolean>;
}

/**
 * Write-side uniqueness (DESIGN.md §4), generic over what is unique: each unique value of a
 * workspace has a stream `unique-<ws>.<kind>-<hash>` whose last event says who holds it. Taking a
 * value is an append with the stream's expected revision, so of two concurrent writers exactly one
 * wins on every adapter; the read model is never consulted. Most values are new, so a reservation
 * first appends blind (`no_stream`) and reads only when the stream exists. Users
 * (users/shared/user-key-reservations.ts) and groups each bring a policy.
 *
 * A new owner whose values were never taken by anyone claims them all in the append that creates
 * it (`claimsOfNewOwner`): one atomic write instead of one per value. Only when such a claim is
 * refused does the caller fall back to `reserve`, which reads who holds the value and whether that
 * holder is still alive.
 */
export class UniqueKeyReservations {
  constructor(
    private readonly eventStore: EventStore,
    private readonly policy: UniqueKeyPolicy,
  ) {}

  /**
   * Takes every key for `ownerId`, or throws the policy's conflict for one held by someone else
   * after giving back the ones it took. Keys are taken one at a time in one global order (by kind):
   * two writers racing for the same values then meet on the first one, and exactly one goes on —
   * taken concurrently, each could win a different key and both would lose.
   */
  async reserve(ownerId: string, keys: UniqueKeys, context: WriteContext): Promise<void> {
    const taken: Record<string, string> = {};
    for (const [kind, value] of sortedEntries(keys)) {
      try {
        await this.reserveOne(kind, value, ownerId, context);
      } catch (error) {
        await this.release(ownerId, taken, context);
        throw error;
      }
      taken[kind] = value;
    }
  }

  /**
   * Appends that take every key for a new owner, to be committed atomically with the owner's first
   * events (decideAndAppend's `alongside`). Each expects a value never taken before; when one was,
   * the append fails with a conflict `isClaimRefused` recognises, and nothing is written.
   */
  claimsOfNewOwner(ownerId: string, keys: UniqueKeys, context: WriteContext): StreamAppend[] {
    return sortedEntries(keys).map(([kind, value]) =>
      streamAppendOf(reservationStreamName(context.workspaceId, kind, value), [this.event(this.policy.reservedType, ownerId, kind)], context, 'no_stream'),
    );
  }

  /** Whether a write failed because a value it claimed with `claimsOfNewOwner` had been taken before. */
  isClaimRefused(error: unknown): boolean {
    return error instanceof WrongExpectedRevisionError && error.streamName.startsWith(`${STREAM_CATEGORY.unique}-`);
  }

  /**
   * Whether anyone holds `value`: its reservation stream exists and last says reserved. Conservative
   * for a caller asking "does nobody have it?": a crash's leftover or a holder that lost the value
   * still counts as held.
   */
  async isHeld(workspaceId: string, kind: string, value: string): Promise<boolean> {
    const events = await this.eventStore.readStream(reservationStreamName(workspaceId, kind, value));
    return events[events.length - 1]?.type === this.policy.reservedType;
  }

  /** Gives up keys the owner no longer has (after a rename or a delete). */
  async release(ownerId: string, keys: UniqueKeys, context: WriteContext): Promise<void> {
    await Promise.all(
      Object.entries(keys).map(async ([kind, value]) => {
        if (value === undefined) return;
        const stream = reservationStreamName(context.workspaceId, kind, value);
        const events = await this.eventStore.readStream(stream);
        const last = events[events.length - 1];
        if (last?.type !== this.policy.reservedType || last.data[this.policy.ownerField] !== ownerId) return;
        await appendEvents(this.eventStore, stream, [this.event(this.policy.releasedType, ownerId, kind)], context, { expectedRevision: events.length - 1 })
          .catch((error: unknown) => {
            // Someone took the value over meanwhile: nothing left to release.
            if (!(error instanceof WrongExpectedRevisionError)) throw error;
          });
      }),
    );
  }

  /** Reserves the keys `after` gains over `before`; returns those it lost, to release after the write. */
  async changeKeys(ownerId: string, before: UniqueKeys, after: UniqueKeys, context: WriteContext): Promise<{ released: UniqueKeys }> {
    const gained: Record<string, string> = {};
    const lost: Record<string, string> = {};
    for (const kind of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const was = before[kind];
      const is = after[kind];
      if (is !== undefined && is !== was) gained[kind] = is;
      if (was !== undefined && was !== is) lost[kind] = was;
    }
    await this.reserve(ownerId, gained, context);
    return { released: lost };
  }

  private async reserveOne(kind: string, value: string, ownerId: string, context: WriteContext): Promise<void> {
    const stream = reservationStreamName(context.workspaceId, kind, value);
    let expected: 'no_stream' | number = 'no_stream';
    for (let attempt = 1; ; attempt++) {
      try {
        await appendEvents(this.eventStore, stream, [this.event(this.policy.reservedType, ownerId, kind)], context, { expectedRevision: expected });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
      const events = await this.eventStore.readStream(stream);
      const last = events[events.length - 1];
      if (last?.type === this.policy.reservedType) {
        const holder: Reservation = { ownerId: String(last.data[this.policy.ownerField]), reservedAt: String(last.data['reservedAt']) };
        if (holder.ownerId === ownerId) return;
        if (await this.policy.stillHolds(holder, kind, value, context.workspaceId)) throw this.policy.conflict(kind, holder.ownerId);
      }
      expected = events.length - 1;
    }
  }

  private event(type: string, ownerId: string, kind: string): DomainEvent {
    return { type, data: { [this.policy.ownerField]: ownerId, kind, reservedAt: new Date().toISOString() } };
  }
}

/** The keys that have a value, in one global order (by kind). */
function sortedEntries(keys: UniqueKeys): Array<[string, string]> {
  return Object.entries(keys)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function reservationStreamName(workspaceId: string, kind: string, value: string): string {
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 40);
  return `${STREAM_CATEGORY.unique}-${workspaceId}.${kind}-${digest}`;
}

/** For a holder whose stream does not exist yet: still being created, or a crash's leftover. */
export function isRecentReservation(holder: Reservation, now = Date.now()): boolean {
  return now - Date.parse(holder.reservedAt) < ORPHAN_AFTER_MS;
}
