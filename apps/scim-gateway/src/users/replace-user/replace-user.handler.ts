import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner } from '../../write/decider-runner';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';
import { changeUser, type UserChange } from '../shared/change-user';
import { UserKeyReservations } from '../shared/user-key-reservations';
import { ReplaceUserCommand } from './replace-user.command';

@CommandHandler(ReplaceUserCommand)
export class ReplaceUserHandler implements ICommandHandler<ReplaceUserCommand, UserChange> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
    private readonly workspaceSchemas: WorkspaceSchemas,
  ) {}

  async execute(command: ReplaceUserCommand): Promise<UserChange> {
    const { writes } = await this.workspaceSchemas.forWorkspace(command.context.workspaceId);
    return changeUser(
      this.runner,
      this.reservations,
      { type: 'ReplaceUser', userId: command.userId, body: command.body, schema: writes },
      command.context,
      command.ifMatchRevision,
    );
  }
}
