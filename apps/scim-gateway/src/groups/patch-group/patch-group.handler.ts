import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WorkspaceScimSettings } from '../../scim-settings/workspace-scim-settings';
import { type GroupDecision, GroupWriter } from '../shared/change-group';
import { groupSchema } from '../shared/group-schema';
import { PatchGroupCommand } from './patch-group.command';

@CommandHandler(PatchGroupCommand)
export class PatchGroupHandler implements ICommandHandler<PatchGroupCommand, GroupDecision> {
  constructor(
    private readonly writer: GroupWriter,
    private readonly scimSettings: WorkspaceScimSettings,
  ) {}

  async execute(command: PatchGroupCommand): Promise<GroupDecision> {
    const unknownAttributes = await this.scimSettings.unknownAttributePolicy(command.context.workspaceId);
    return this.writer.write({ type: 'PatchGroup', groupId: command.groupId, operations: command.operations, schema: groupSchema, unknownAttributes }, command.context, command.ifMatchRevision);
  }
}
