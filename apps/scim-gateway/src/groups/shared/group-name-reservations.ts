import { Inject, Injectable } from '@nestjs/common';
import { type GroupState, groupStreamName, groupDecider } from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { scimErrors } from '@axis/scim';
import type { WriteContext } from '@axis/write';

import { isRecentReservation, type Reservation, type UniqueKeys, UniqueKeyReservations } from '../../write/unique-key-reservations';
import { GroupDeciderRunner } from './group-decider-runner';

const KIND = 'groupDisplayName';

/**
 * A group's displayName is unique in its workspace, case-insensitively (Entra requires it), on the
 * write side: the same reservation streams as users' userName/email (`unique-<ws>.<kind>-<hash>`).
 */
@Injectable()
export class GroupNameReservations {
  private readonly reservations: UniqueKeyReservations;

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    private readonly runner: GroupDeciderRunner,
  ) {
    this.reservations = new UniqueKeyReservations(eventStore, {
      reservedType: 'GROUP_KEY_RESERVED',
      releasedType: 'GROUP_KEY_RELEASED',
      ownerField: 'groupId',
      conflict: () => scimErrors.groupConflict('A group with the same displayName already exists in this workspace'),
      stillHolds: (holder, _kind, value, workspaceId) => this.stillHolds(holder, value, workspaceId),
    });
  }

  reserve(groupId: string, state: GroupState, context: WriteContext): Promise<void> {
    return this.reservations.reserve(groupId, keysOf(state), context);
  }

  /** Reserves the name `next` gains; returns the one it lost, to release after the write. */
  changeKeys(groupId: string, previous: GroupState, next: GroupState, context: WriteContext): Promise<{ released: UniqueKeys }> {
    return this.reservations.changeKeys(groupId, keysOf(previous), keysOf(next), context);
  }

  release(groupId: string, keys: UniqueKeys, context: WriteContext): Promise<void> {
    return this.reservations.release(groupId, keys, context);
  }

  private async stillHolds(holder: Reservation, value: string, workspaceId: string): Promise<boolean> {
    const { state, revision } = await this.runner.load(groupDecider, groupStreamName(workspaceId, holder.ownerId));
    if (revision < 0) return isRecentReservation(holder);
    return keysOf(state)[KIND] === value;
  }
}

export function keysOf(state: GroupState): UniqueKeys {
  return state.status === 'existing' ? { [KIND]: state.displayName.toLowerCase() } : {};
}
