import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { evolveUser, initialUserState, STREAM_CATEGORY, type UserEvent, userStreamName } from '@axis/domain';
import { EVENT_STORE, type EventStore, WrongExpectedRevisionError } from '@axis/event-store';
import type { CommandContext } from '../../write/command-context';
import { type UserKeyKind, type UserKeys, userKeysOf } from './user-keys';


/** A reservation whose owner never appeared this long after it was taken is a leftover of a crash. */
const ORPHAN_AFTER_MS = 60_000;
const MAX_ATTEMPTS = 10;

/** A unique value is held by another live user; the gateway answers 409 SCIM_USER_CONFLICT. */
export class UserKeyTaken extends Error {
  constructor(
    readonly kind: UserKeyKind,
    readonly holderUserId: string,
  ) {
    super(`A user with the same ${kind === 'email' ? 'primary email' : kind} already exists in this workspace`);
    this.name = 'UserKeyTaken';
  }
}

interface Reservation {
  userId: string;
  reservedAt: string;
}

/**
 * Write-side uniqueness (DESIGN.md §4): each unique value of a workspace has a stream
 * `unique-<ws>.<kind>-<hash>` whose last event says which user holds it. Taking a value is an
 * append with the stream's expected revision, so of two concurrent creates exactly one wins on
 * every adapter; the read model is never consulted.
 */
@Injectable()
export class UserKeyReservations {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  /**
   * Takes every key for `userId`, or throws 409 naming one taken by someone else and gives back the
   * ones it took. The keys are taken concurrently, so they share the store's group commit.
   */
  async reserve(userId: string, keys: UserKeys, context: CommandContext): Promise<void> {
    const kinds = Object.keys(keys) as UserKeyKind[];
    const outcomes = await Promise.allSettled(kinds.map((kind) => this.reserveOne(kind, keys[kind]!, userId, context)));
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (!failure) return;
    const taken: UserKeys = {};
    kinds.forEach((kind, index) => {
      if (outcomes[index]!.status === 'fulfilled') taken[kind] = keys[kind];
    });
    await this.release(userId, taken, context);
    throw failure.reason;
  }

  /** Gives up keys the user no longer has (after a rename, email change or delete). */
  async release(userId: string, keys: UserKeys, context: CommandContext): Promise<void> {
    await Promise.all(
      (Object.keys(keys) as UserKeyKind[]).map(async (kind) => {
        const stream = streamOf(context.workspaceId, kind, keys[kind]!);
        const events = await this.eventStore.readStream(stream);
        const last = events[events.length - 1];
        if (last?.type !== 'USER_KEY_RESERVED' || last.data['userId'] !== userId) return;
        await this.eventStore
          .appendToStream(stream, [event('USER_KEY_RELEASED', userId, kind, context)], { expectedRevision: events.length - 1 })
          .catch((error: unknown) => {
            // Someone took the value over meanwhile: nothing left to release.
            if (!(error instanceof WrongExpectedRevisionError)) throw error;
          });
      }),
    );
  }

  /** Reserve the keys `next` gains over `previous`, run the write, then release the ones it lost. */
  async changeKeys(
    userId: string,
    previous: Record<string, unknown>,
    next: Record<string, unknown>,
    context: CommandContext,
  ): Promise<{ released: UserKeys }> {
    const before = userKeysOf(previous);
    const after = userKeysOf(next);
    const gained: UserKeys = {};
    const lost: UserKeys = {};
    for (const kind of ['userName', 'externalId', 'email'] as const) {
      if (after[kind] !== undefined && after[kind] !== before[kind]) gained[kind] = after[kind];
      if (before[kind] !== undefined && before[kind] !== after[kind]) lost[kind] = before[kind];
    }
    await this.reserve(userId, gained, context);
    return { released: lost };
  }

  private async reserveOne(kind: UserKeyKind, value: string, userId: string, context: CommandContext): Promise<void> {
    const stream = streamOf(context.workspaceId, kind, value);
    // Most values are new: try to take them blind, and read only when the stream exists.
    let expected: 'no_stream' | number = 'no_stream';
    for (let attempt = 1; ; attempt++) {
      try {
        await this.eventStore.appendToStream(stream, [event('USER_KEY_RESERVED', userId, kind, context)], { expectedRevision: expected });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
      const events = await this.eventStore.readStream(stream);
      const last = events[events.length - 1];
      if (last?.type === 'USER_KEY_RESERVED') {
        const holder = last.data as unknown as Reservation;
        if (holder.userId === userId) return;
        if (await this.stillHolds(holder, kind, value, context.workspaceId)) throw new UserKeyTaken(kind, holder.userId);
      }
      expected = events.length - 1;
    }
  }

  /** Whether the holder is a live user that still has this value (or is still being created). */
  private async stillHolds(holder: Reservation, kind: UserKeyKind, value: string, workspaceId: string): Promise<boolean> {
    const recorded = await this.eventStore.readStream(userStreamName(workspaceId, holder.userId));
    if (recorded.length === 0) return Date.now() - Date.parse(holder.reservedAt) < ORPHAN_AFTER_MS;
    const state = recorded.reduce((current, event) => evolveUser(current, event as unknown as UserEvent), initialUserState());
    if (state.status !== 'active' && state.status !== 'inactive' && state.status !== 'local') return false;
    return userKeysOf(state.attributes)[kind] === value;
  }
}

function streamOf(workspaceId: string, kind: UserKeyKind, value: string): string {
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 40);
  return `${STREAM_CATEGORY.unique}-${workspaceId}.${kind}-${digest}`;
}

function event(type: 'USER_KEY_RESERVED' | 'USER_KEY_RELEASED', userId: string, kind: UserKeyKind, context: CommandContext) {
  const eventId = randomUUID();
  const at = new Date().toISOString();
  return {
    eventId,
    type,
    data: { userId, kind, reservedAt: at },
    metadata: { eventId, workspaceId: context.workspaceId, actor: context.actor, requestId: context.requestId, occurredAt: at },
  };
}
