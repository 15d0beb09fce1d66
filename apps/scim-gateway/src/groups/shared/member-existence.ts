import { Inject, Injectable } from '@nestjs/common';
import { groupStreamName, userDecider, userStreamName } from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { READ_MODEL } from '@axis/platform';
import { existingGroupIds, existingMemberIds } from '@axis/read-model';
import { loadStream } from '@axis/write';
import { scimErrors } from '@axis/scim';
import type { DataSource } from 'typeorm';

/** User streams read at once when the read model does not know an id yet. */
const STREAM_READ_CONCURRENCY = 16;

/**
 * Checks, on the write side, that the ids a group decision adds are live users of the workspace:
 * one indexed read-model query for all of them, then the user stream (the source of truth) for each
 * id the read model does not know yet (a user created a moment ago). A user deleted a moment ago
 * may still pass while the read model lags; the group-membership reactor removes such a member
 * again (it undoes an addition that arrives after the deletion), so no group keeps a deleted user.
 */
@Injectable()
export class MemberExistence {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /** Throws 400 invalidValue naming the first id that is not a user of the workspace. */
  async assertUsers(workspaceId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const known = await existingMemberIds(this.readModel, workspaceId, ids);
    const unknown = ids.filter((id) => !known.has(id));
    const missing: string[] = [];
    for (let start = 0; start < unknown.length; start += STREAM_READ_CONCURRENCY) {
      const batch = unknown.slice(start, start + STREAM_READ_CONCURRENCY);
      const live = await Promise.all(batch.map((id) => this.isLiveUser(workspaceId, id)));
      batch.forEach((id, index) => {
        if (!live[index]) missing.push(id);
      });
      if (missing.length > 0) break;
    }
    if (missing.length === 0) return;
    const first = missing[0]!;
    if (await this.isGroup(workspaceId, first)) throw scimErrors.invalidValue(`Member ${first} is a group: nested groups are not supported, a group's members are users`);
    throw scimErrors.invalidValue(`Member ${first} is not a user of this workspace`);
  }

  /** For the error's wording only: the read model, else the group's stream (a group created a moment ago). */
  private async isGroup(workspaceId: string, id: string): Promise<boolean> {
    if ((await existingGroupIds(this.readModel, workspaceId, [id])).has(id)) return true;
    return (await this.eventStore.readStream(groupStreamName(workspaceId, id), { maxCount: 1 })).length > 0;
  }

  private async isLiveUser(workspaceId: string, id: string): Promise<boolean> {
    const { state } = await loadStream(this.eventStore, userDecider, userStreamName(workspaceId, id));
    return state.status === 'active' || state.status === 'inactive';
  }
}
