import { Inject, Injectable } from '@nestjs/common';
import { userDecider, UserRuleViolation, userStreamName } from '@axis/domain';
import { EVENT_STORE, type EventStore, type StreamAppend } from '@axis/event-store';
import { loadStream, type WriteContext } from '@axis/write';

import { ORPHAN_AFTER_MS, type Reservation, UniqueKeyReservations } from '../../write/unique-key-reservations';
import { type UserKeyKind, type UserKeys, userKeysOf } from './user-keys';

/** A unique value is held by another live user; the gateway answers 409 SCIM_USER_CONFLICT. */
/** A rule violation like the decider's own (`already-exists`): the error filters map it without knowing this slice. */
export class UserKeyTaken extends UserRuleViolation {
  constructor(
    readonly kind: UserKeyKind,
    readonly holderUserId: string,
  ) {
    super('already-exists', `A user with the same ${kind === 'email' ? 'primary email' : kind} already exists in this workspace`);
    this.name = 'UserKeyTaken';
  }
}

/**
 * userName, primary email and externalId are unique among a workspace's users (DESIGN.md §4),
 * enforced by the write side's reservation streams; a local account holds its values too, so the
 * IdP's create with its email finds it (and merges).
 */
@Injectable()
export class UserKeyReservations {
  private readonly reservations: UniqueKeyReservations;

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {
    this.reservations = new UniqueKeyReservations(eventStore, {
      reservedType: 'USER_KEY_RESERVED',
      releasedType: 'USER_KEY_RELEASED',
      ownerField: 'userId',
      conflict: (kind, holderId) => new UserKeyTaken(kind as UserKeyKind, holderId),
      stillHolds: (holder, kind, value, workspaceId) => this.stillHolds(holder, kind as UserKeyKind, value, workspaceId),
    });
  }

  /** Takes every key for `userId`, or throws UserKeyTaken after giving back the ones it took. */
  reserve(userId: string, keys: UserKeys, context: WriteContext): Promise<void> {
    return this.reservations.reserve(userId, keys, context);
  }

  /** Claims for a new user's keys, committed with its creation (see UniqueKeyReservations.claimsOfNewOwner). */
  claimsOfNewOwner(userId: string, keys: UserKeys, context: WriteContext): StreamAppend[] {
    return this.reservations.claimsOfNewOwner(userId, keys, context);
  }

  /** Whether a create failed because one of its claims was taken before: the caller then uses `reserve`. */
  isClaimRefused(error: unknown): boolean {
    return this.reservations.isClaimRefused(error);
  }

  /** Whether some user or local account may hold this (normalised) value; false only when none does. */
  isHeld(workspaceId: string, kind: UserKeyKind, value: string): Promise<boolean> {
    return this.reservations.isHeld(workspaceId, kind, value);
  }

  /** Gives up keys the user no longer has (after a rename, email change or delete). */
  release(userId: string, keys: UserKeys, context: WriteContext): Promise<void> {
    return this.reservations.release(userId, keys, context);
  }

  /** Reserves the keys `next` gains over `previous`; returns the ones it lost, to release after the write. */
  changeKeys(
    userId: string,
    previous: Record<string, unknown>,
    next: Record<string, unknown>,
    context: WriteContext,
  ): Promise<{ released: UserKeys }> {
    return this.reservations.changeKeys(userId, userKeysOf(previous), userKeysOf(next), context);
  }

  /** Whether the holder is a live user (or local account) that still has this value, or is still being created. */
  private async stillHolds(holder: Reservation, kind: UserKeyKind, value: string, workspaceId: string): Promise<boolean> {
    const { state, revision } = await loadStream(this.eventStore, userDecider, userStreamName(workspaceId, holder.ownerId));
    if (revision < 0) return Date.now() - Date.parse(holder.reservedAt) < ORPHAN_AFTER_MS;
    if (state.status !== 'active' && state.status !== 'inactive' && state.status !== 'local') return false;
    return userKeysOf(state.attributes)[kind] === value;
  }
}
