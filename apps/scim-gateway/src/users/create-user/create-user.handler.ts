import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { type UserEvent, type UserState, userStreamName, userDecider } from '@axis/domain';
import { WorkspaceScimSettings } from '../../scim-settings/workspace-scim-settings';
import { DeciderRunner, type RunOptions } from '../../write/decider-runner';
import { UserKeyReservations, UserKeyTaken } from '../shared/user-key-reservations';
import { userKeysOf } from '../shared/user-keys';
import { userViewOfState, type UserView } from '../shared/user-resource';
import { CreateUserCommand } from './create-user.command';

/**
 * Creates the user, or — when its primary email belongs to a local account that predates SCIM and
 * the workspace allows it — links that account instead (`ACCOUNT_SCIM_USER_MERGED`): the member
 * keeps its id and sessions and gains the SCIM badge.
 */
@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, UserView> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
    private readonly scimSettings: WorkspaceScimSettings,
  ) {}

  async execute(command: CreateUserCommand): Promise<UserView> {
    try {
      return await this.create(command);
    } catch (error) {
      if (!(error instanceof UserKeyTaken) || error.kind !== 'email') throw error;
      return (await this.mergeIntoLocalAccount(error.holderUserId, command)) ?? Promise.reject(error);
    }
  }

  /**
   * Most creates carry values nobody ever held: they are claimed in the append that creates the
   * user. When a claim is refused, the value-by-value path finds out whether its holder is still
   * alive (409, or a local account to merge) or a leftover it may take over.
   */
  private async create(command: CreateUserCommand): Promise<UserView> {
    const userId = randomUUID();
    const keys = userKeysOf(command.attributes);
    const { context } = command;
    try {
      return await this.createUser(userId, command, { newStream: true, alongside: () => this.reservations.claimsOfNewOwner(userId, keys, context) });
    } catch (error) {
      if (!this.reservations.isClaimRefused(error)) throw error;
    }
    return this.createUser(userId, command, { beforeAppend: () => this.reservations.reserve(userId, keys, context) });
  }

  private async createUser(userId: string, command: CreateUserCommand, options: RunOptions<UserEvent, UserState>): Promise<UserView> {
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
        ignoredAttributes: command.ignoredAttributes,
      },
      command.context,
      options,
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

  private async mergeIntoLocalAccount(holderId: string, command: CreateUserCommand): Promise<UserView | null> {
    const { workspaceId } = command.context;
    const holder = await this.runner.load(userDecider, userStreamName(workspaceId, holderId));
    if (holder.state.status !== 'local') return null;
    const settings = await this.scimSettings.forWorkspace(workspaceId);
    if (!settings.autoMergeLocalAccounts && !holder.state.mergeApproved) return null;
    let released = {};
    const result = await this.runner.run(
      userDecider,
      userStreamName(workspaceId, holderId),
      {
        type: 'MergeScimUser',
        userId: holderId,
        userName: command.userName,
        externalId: command.externalId,
        active: command.active,
        attributes: command.attributes,
        mergedBy: holder.state.mergeApproved ? 'admin' : 'auto',
        ignoredAttributes: command.ignoredAttributes,
      },
      command.context,
      {
        ifMatchRevision: holder.revision,
        beforeAppend: async (_events, next, previous) => {
          if (previous.status !== 'local' || (next.status !== 'active' && next.status !== 'inactive')) return;
          ({ released } = await this.reservations.changeKeys(holderId, previous.attributes, next.attributes, command.context));
        },
      },
    );
    await this.reservations.release(holderId, released, command.context);
    if (result.state.status !== 'active' && result.state.status !== 'inactive') return null;
    return userViewOfState(result.state, result);
  }
}
