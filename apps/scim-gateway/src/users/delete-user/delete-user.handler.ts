import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { userStreamName, userDecider } from '@axis/domain';
import { GroupReadYourWrites } from '../../consistency/group-read-your-writes';
import { DeciderRunner } from '../../write/decider-runner';
import { UserKeyReservations } from '../shared/user-key-reservations';
import { userKeysOf } from '../shared/user-keys';
import { DeleteUserCommand } from './delete-user.command';

@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand, void> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
    private readonly groupWrites: GroupReadYourWrites,
  ) {}

  async execute(command: DeleteUserCommand): Promise<void> {
    let releasable = {};
    const deletion = await this.runner.run(
      userDecider,
      userStreamName(command.context.workspaceId, command.userId),
      { type: 'DeleteUser', userId: command.userId },
      command.context,
      {
        ...(command.ifMatchRevision === undefined ? {} : { ifMatchRevision: command.ifMatchRevision }),
        beforeAppend: async (_events, _next, previous) => {
          if (previous.status === 'active' || previous.status === 'inactive') releasable = userKeysOf(previous.attributes);
        },
      },
    );
    // The group projection drops the deleted user from every group: group reads wait for it too.
    if (deletion.position) await this.groupWrites.recordWrite(command.context.workspaceId, deletion.position);
    // A deleted user's userName, email and externalId may be provisioned again.
    await this.reservations.release(command.userId, releasable, command.context);
  }
}
