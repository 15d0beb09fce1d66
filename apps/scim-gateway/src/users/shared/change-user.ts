import { type PatchUser, type ReplaceUser, type UserState, userStreamName } from '@axis/domain';
import type { CommandContext } from '../../write/command-context';
import type { DeciderRunner } from '../../write/decider-runner';
import { userDecider } from './user-decider';
import type { UserKeyReservations } from './user-key-reservations';
import { userViewOfState, type UserView } from './user-resource';

/**
 * PUT and PATCH share their write path: decide on the stream, reserve unique values the user
 * gains before appending, release the ones it lost afterwards.
 */
export async function changeUser(
  runner: DeciderRunner,
  reservations: UserKeyReservations,
  command: PatchUser | ReplaceUser,
  context: CommandContext,
  ifMatchRevision: number | undefined,
): Promise<UserView> {
  let released = {};
  const result = await runner.run(userDecider, userStreamName(context.workspaceId, command.userId), command, context, {
    ...(ifMatchRevision === undefined ? {} : { ifMatchRevision }),
    beforeAppend: async (_events, next: UserState, previous: UserState) => {
      if (!isExisting(next) || !isExisting(previous)) return;
      ({ released } = await reservations.changeKeys(command.userId, previous.attributes, next.attributes, context));
    },
  });
  await reservations.release(command.userId, released, context);
  if (!isExisting(result.state)) throw new Error(`User ${command.userId} vanished during ${command.type}`);
  return userViewOfState(result.state, result);
}

function isExisting(state: UserState): state is Extract<UserState, { status: 'active' | 'inactive' }> {
  return state.status === 'active' || state.status === 'inactive';
}
