import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner } from '../../write/decider-runner';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';
import { WorkspaceScimSettings } from '../../scim-settings/workspace-scim-settings';
import { changeUser, type UserChange } from '../shared/change-user';
import { UserKeyReservations } from '../shared/user-key-reservations';
import { ReplaceUserCommand } from './replace-user.command';

@CommandHandler(ReplaceUserCommand)
export class ReplaceUserHandler implements ICommandHandler<ReplaceUserCommand, UserChange> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
    private readonly workspaceSchemas: WorkspaceSchemas,
    private readonly scimSettings: WorkspaceScimSettings,
  ) {}

  async execute(command: ReplaceUserCommand): Promise<UserChange> {
    const { workspaceId } = command.context;
    const [{ writes }, unknownAttributes] = await Promise.all([this.workspaceSchemas.forWorkspace(workspaceId), this.scimSettings.unknownAttributePolicy(workspaceId)]);
    return changeUser(
      this.runner,
      this.reservations,
      { type: 'ReplaceUser', userId: command.userId, resource: command.resource, schema: writes, unknownAttributes },
      command.context,
      command.ifMatchRevision,
    );
  }
}
