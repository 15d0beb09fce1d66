import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { userStreamName } from '@axis/domain';
import { DeciderRunner } from '../../write/decider-runner';
import { userDecider } from '../shared/user-decider';
import { UserKeyReservations } from '../shared/user-key-reservations';
import { userKeysOf } from '../shared/user-keys';
import type { UserView } from '../shared/user-resource';
import { CreateUserCommand } from './create-user.command';

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, UserView> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
  ) {}

  async execute(command: CreateUserCommand): Promise<UserView> {
    const userId = randomUUID();
    const result = await this.runner.run(
      userDecider,
      userStreamName(command.context.workspaceId, userId),
      {
        type: 'CreateUser',
        userId,
        userName: command.userName,
        externalId: command.externalId,
        active: command.active,
        attributes: command.attributes,
      },
      command.context,
      { beforeAppend: () => this.reservations.reserve(userId, userKeysOf(command.attributes), command.context) },
    );
    return {
      id: userId,
      attributes: command.attributes,
      active: command.active,
      revision: result.revision,
      createdAt: result.createdAt,
      updatedAt: result.lastModified,
    };
  }
}
