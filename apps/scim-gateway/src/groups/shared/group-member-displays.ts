import { Inject, Injectable } from '@nestjs/common';
import type { GroupState } from '@axis/domain';
import { READ_MODEL } from '@axis/platform';
import { findMemberDisplays, listGroupMembers, MEMBERS_PROJECTION, type GroupMemberRow } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from '../../consistency/read-your-writes';

/**
 * A group's members as a response shows them: ids with display names. The names come from the
 * members projection, not the groups one, so a read first waits for this workspace's user writes
 * to reach it: a user created just before a group that lists them shows with their name.
 */
@Injectable()
export class GroupMemberDisplays {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly userWrites: ReadYourWrites,
  ) {}

  /** The members of stored groups, per group id. */
  async ofGroups(workspaceId: string, groupIds: readonly string[]): Promise<Map<string, GroupMemberRow[]>> {
    await this.userWrites.waitFor(workspaceId, MEMBERS_PROJECTION);
    return listGroupMembers(this.readModel, workspaceId, groupIds);
  }

  /** The members of a group as its write-side state has them. */
  async ofState(workspaceId: string, state: GroupState): Promise<GroupMemberRow[]> {
    if (state.status !== 'existing') return [];
    await this.userWrites.waitFor(workspaceId, MEMBERS_PROJECTION);
    const ids = state.members.toArray().sort();
    const displays = await findMemberDisplays(this.readModel, workspaceId, ids);
    return ids.map((id) => ({ id, display: displays.get(id) ?? null }));
  }
}
