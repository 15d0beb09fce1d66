import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner } from '../../write/decider-runner';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';
import { WorkspaceScimSettings } from '../../scim-settings/workspace-scim-settings';
import { changeUser, type UserChange } from '../shared/change-user';
import { UserKeyReservations } from '../shared/user-key-reservations';
import { PatchUserCommand } from './patch-user.command';

@CommandHandler(PatchUserCommand)
export class PatchUserHandler implements ICommandHandler<PatchUserCommand, UserChange> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
    private readonly workspaceSchemas: WorkspaceSchemas,
    private readonly scimSettings: WorkspaceScimSettings,
  ) {}

  async execute(command: PatchUserCommand): Promise<UserChange> {
    const { workspaceId } = command.context;
    const [{ reads }, unknownAttributes] = await Promise.all([this.workspaceSchemas.forWorkspace(workspaceId), this.scimSettings.unknownAttributePolicy(workspaceId)]);
    return changeUser(
      this.runner,
      this.reservations,
      // The schema /Schemas publishes: a deprecated attribute is readOnly there, so a PATCH may echo
      // its stored value but not change or clear it (400 mutability, RFC 7644 §3.5.2).
      { type: 'PatchUser', userId: command.userId, operations: command.operations, schema: reads, unknownAttributes },
      command.context,
      command.ifMatchRevision,
    );
  }
}
