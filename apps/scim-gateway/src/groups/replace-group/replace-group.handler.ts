import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WorkspaceScimSettings } from '../../scim-settings/workspace-scim-settings';
import { type GroupDecision, GroupWriter } from '../shared/change-group';
import { groupSchema } from '../shared/group-schema';
import { ReplaceGroupCommand } from './replace-group.command';

@CommandHandler(ReplaceGroupCommand)
export class ReplaceGroupHandler implements ICommandHandler<ReplaceGroupCommand, GroupDecision> {
  constructor(
    private readonly writer: GroupWriter,
    private readonly scimSettings: WorkspaceScimSettings,
  ) {}

  async execute(command: ReplaceGroupCommand): Promise<GroupDecision> {
    const unknownAttributes = await this.scimSettings.unknownAttributePolicy(command.context.workspaceId);
    return this.writer.write({ type: 'ReplaceGroup', groupId: command.groupId, resource: command.resource, schema: groupSchema, unknownAttributes }, command.context, command.ifMatchRevision);
  }
}
