import { decideUserWithReport, type PatchUser, type ReplaceUser, type UserState, userStreamName, userDecider } from '@axis/domain';
import type { WriteContext } from '@axis/write';

import type { DeciderRunner } from '../../write/decider-runner';
import type { UserKeyReservations } from './user-key-reservations';
import { userViewOfState, type UserView } from './user-resource';

/** A PUT or PATCH done: the user, and the request's attributes no schema of the workspace defines. */
export interface UserChange {
  user: UserView;
  ignoredAttributes: readonly string[];
  /** False when nothing changed: no event carries `ignoredAttributes` then. */
  appended: boolean;
}

/**
 * PUT and PATCH share their write path: decide on the stream, reserve unique values the user
 * gains before appending, release the ones it lost afterwards.
 */
export async function changeUser(
  runner: DeciderRunner,
  reservations: UserKeyReservations,
  command: PatchUser | ReplaceUser,
  context: WriteContext,
  ifMatchRevision: number | undefined,
): Promise<UserChange> {
  let released = {};
  // The ignored attributes of the last decision (a retry decides again): events carry them, but a
  // change that appends nothing has no event to carry them, and the caller records them itself.
  let ignoredAttributes: readonly string[] = [];
  const decider = {
    ...userDecider,
    decide: (change: PatchUser | ReplaceUser, state: UserState) => {
      const decision = decideUserWithReport(change, state);
      ignoredAttributes = decision.ignoredAttributes;
      return decision.events;
    },
  };
  const result = await runner.run(decider, userStreamName(context.workspaceId, command.userId), command, context, {
    ...(ifMatchRevision === undefined ? {} : { ifMatchRevision }),
    beforeAppend: async (_events, next: UserState, previous: UserState) => {
      if (!isExisting(next) || !isExisting(previous)) return;
      ({ released } = await reservations.changeKeys(command.userId, previous.attributes, next.attributes, context));
    },
  });
  await reservations.release(command.userId, released, context);
  if (!isExisting(result.state)) throw new Error(`User ${command.userId} vanished during ${command.type}`);
  return { user: userViewOfState(result.state, result), ignoredAttributes, appended: result.events.length > 0 };
}

function isExisting(state: UserState): state is Extract<UserState, { status: 'active' | 'inactive' }> {
  return state.status === 'active' || state.status === 'inactive';
}
