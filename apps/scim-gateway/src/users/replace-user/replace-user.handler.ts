import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner } from '../../write/decider-runner';
import { changeUser } from '../shared/change-user';
import { UserKeyReservations } from '../shared/user-key-reservations';
import type { UserView } from '../shared/user-resource';
import { userSchema } from '../shared/user-schema';
import { ReplaceUserCommand } from './replace-user.command';

@CommandHandler(ReplaceUserCommand)
export class ReplaceUserHandler implements ICommandHandler<ReplaceUserCommand, UserView> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
  ) {}

  execute(command: ReplaceUserCommand): Promise<UserView> {
    return changeUser(
      this.runner,
      this.reservations,
      { type: 'ReplaceUser', userId: command.userId, body: command.body, schema: userSchema },
      command.context,
      command.ifMatchRevision,
    );
  }
}
