import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { decideUser, evolveUser, initialUserState, userStreamName } from '@axis/domain';
import type { UserView } from '../shared/user-resource';
import { DeciderRunner } from '../../write/decider-runner';
import { CreateUserCommand } from './create-user.command';

const userDecider = { decide: decideUser, evolve: evolveUser, initialState: initialUserState };

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, UserView> {
  constructor(private readonly runner: DeciderRunner) {}

  async execute(command: CreateUserCommand): Promise<UserView> {
    const userId = randomUUID();
    const result = await this.runner.run(
      userDecider,
      userStreamName(command.workspaceId, userId),
      {
        type: 'CreateUser',
        userId,
        userName: command.userName,
        externalId: command.externalId,
        active: command.active,
        attributes: command.attributes,
      },
      { ...command.context, workspaceId: command.workspaceId },
    );
    return {
      id: userId,
      attributes: command.attributes,
      active: command.active,
      revision: result.revision,
      createdAt: result.occurredAt,
      updatedAt: result.occurredAt,
    };
  }
}
