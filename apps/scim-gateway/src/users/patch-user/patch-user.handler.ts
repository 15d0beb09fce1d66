import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner } from '../../write/decider-runner';
import { changeUser } from '../shared/change-user';
import { UserKeyReservations } from '../shared/user-key-reservations';
import type { UserView } from '../shared/user-resource';
import { userSchema } from '../shared/user-schema';
import { PatchUserCommand } from './patch-user.command';

@CommandHandler(PatchUserCommand)
export class PatchUserHandler implements ICommandHandler<PatchUserCommand, UserView> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
  ) {}

  execute(command: PatchUserCommand): Promise<UserView> {
    return changeUser(
      this.runner,
      this.reservations,
      { type: 'PatchUser', userId: command.userId, body: command.body, schema: userSchema },
      command.context,
      command.ifMatchRevision,
    );
  }
}
