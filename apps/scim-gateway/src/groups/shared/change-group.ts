import { Injectable } from '@nestjs/common';
import { addedMemberIdsOf, type GroupCommand, type GroupEvent, GroupRuleViolation, type GroupState, groupStreamName, groupDecider } from '@axis/domain';
import { scimErrors } from '@axis/scim';
import type { WriteContext } from '@axis/write';

import type { DecisionResult } from '../../write/decider-runner';
import type { UniqueKeys } from '../../write/unique-key-reservations';
import { GroupDeciderRunner } from './group-decider-runner';
import { GroupNameReservations, keysOf } from './group-name-reservations';
import { groupViewOfState, type GroupView } from './group-resource';
import { MemberExistence } from './member-existence';

export type GroupDecision = DecisionResult<GroupEvent, GroupState>;

/**
 * Every group write: decide on the (cached) stream state, then before appending check that the
 * members it adds are users of the workspace and reserve a new displayName; after the append,
 * release the name the group gave up. Domain rule violations become SCIM errors.
 */
@Injectable()
export class GroupWriter {
  constructor(
    private readonly runner: GroupDeciderRunner,
    private readonly names: GroupNameReservations,
    private readonly existence: MemberExistence,
  ) {}

  async write(command: GroupCommand, context: WriteContext, ifMatchRevision?: number): Promise<GroupDecision> {
    let released: UniqueKeys = {};
    const verified = new Set<string>();
    const result = await asScimErrors(() =>
      this.runner.run(groupDecider, groupStreamName(context.workspaceId, command.groupId), command, context, {
        ...(ifMatchRevision === undefined ? {} : { ifMatchRevision }),
        beforeAppend: async (events, next, previous) => {
          const added = addedMemberIdsOf(events).filter((id) => !verified.has(id));
          await this.existence.assertUsers(context.workspaceId, added);
          for (const id of added) verified.add(id);
          if (next.status === 'existing') ({ released } = await this.names.changeKeys(command.groupId, previous, next, context));
          else released = keysOf(previous);
        },
      }),
    );
    await this.names.release(command.groupId, released, context);
    return result;
  }
}

/** The view of a group a write left, for the response. */
export function viewOfDecision(decision: GroupDecision): GroupView {
  if (decision.state.status !== 'existing') throw scimErrors.notFound('Group not found');
  return groupViewOfState(decision.state, decision);
}

async function asScimErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GroupRuleViolation) {
      throw error.rule === 'not-found' ? scimErrors.notFound(error.message) : scimErrors.groupConflict(error.message);
    }
    throw error;
  }
}
