import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { type GroupDecision, GroupWriter } from '../shared/change-group';
import { CreateGroupCommand } from './create-group.command';

@CommandHandler(CreateGroupCommand)
export class CreateGroupHandler implements ICommandHandler<CreateGroupCommand, GroupDecision> {
  constructor(private readonly writer: GroupWriter) {}

  execute(command: CreateGroupCommand): Promise<GroupDecision> {
    return this.writer.write(
      { type: 'CreateGroup', groupId: randomUUID(), displayName: command.displayName, externalId: command.externalId, memberIds: command.memberIds },
      command.context,
    );
  }
}
