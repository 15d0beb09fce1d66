import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { GroupWriter } from '../shared/change-group';
import { DeleteGroupCommand } from './delete-group.command';

@CommandHandler(DeleteGroupCommand)
export class DeleteGroupHandler implements ICommandHandler<DeleteGroupCommand, void> {
  constructor(private readonly writer: GroupWriter) {}

  async execute(command: DeleteGroupCommand): Promise<void> {
    // The writer releases the displayName: it may be provisioned again.
    await this.writer.write({ type: 'DeleteGroup', groupId: command.groupId }, command.context, command.ifMatchRevision);
  }
}
