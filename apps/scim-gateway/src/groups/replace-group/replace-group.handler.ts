import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type GroupDecision, GroupWriter } from '../shared/change-group';
import { groupSchema } from '../shared/group-schema';
import { ReplaceGroupCommand } from './replace-group.command';

@CommandHandler(ReplaceGroupCommand)
export class ReplaceGroupHandler implements ICommandHandler<ReplaceGroupCommand, GroupDecision> {
  constructor(private readonly writer: GroupWriter) {}

  execute(command: ReplaceGroupCommand): Promise<GroupDecision> {
    return this.writer.write({ type: 'ReplaceGroup', groupId: command.groupId, body: command.body, schema: groupSchema }, command.context, command.ifMatchRevision);
  }
}
