import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type GroupDecision, GroupWriter } from '../shared/change-group';
import { groupSchema } from '../shared/group-schema';
import { PatchGroupCommand } from './patch-group.command';

@CommandHandler(PatchGroupCommand)
export class PatchGroupHandler implements ICommandHandler<PatchGroupCommand, GroupDecision> {
  constructor(private readonly writer: GroupWriter) {}

  execute(command: PatchGroupCommand): Promise<GroupDecision> {
    return this.writer.write({ type: 'PatchGroup', groupId: command.groupId, body: command.body, schema: groupSchema }, command.context, command.ifMatchRevision);
  }
}
