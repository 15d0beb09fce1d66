import { adminWriteContext } from '../../auth/admin-key.guard';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LOGGER, type Logger, READ_MODEL, waitForCheckpoint } from '@axis/platform';
import { WorkspaceCommands } from '@axis/write';
import { WORKSPACES_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { ScimTokenVerifier } from '../../../auth/scim-token-verifier';
import { RevokeScimTokenCommand } from './revoke-scim-token.command';

const VISIBLE_WITHIN_MS = 5000;

/**
 * Revokes a token, waits until the projector has marked it revoked, then drops this process's
 * cached lookups (in that order, so a request in between cannot re-cache the live token). Other
 * gateway replicas (PostgreSQL, where nothing is cached) refuse it at once.
 */
@CommandHandler(RevokeScimTokenCommand)
export class RevokeScimTokenHandler implements ICommandHandler<RevokeScimTokenCommand, void> {
  constructor(
    private readonly workspaces: WorkspaceCommands,
    private readonly tokens: ScimTokenVerifier,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: RevokeScimTokenCommand): Promise<void> {
    const { admin } = command;
    const result = await this.workspaces.revokeScimToken(
      adminWriteContext(admin, command.requestId),
      command.tokenId,
    );
    if (result.position && !(await waitForCheckpoint(this.readModel, WORKSPACES_PROJECTION, result.position, { timeoutMs: VISIBLE_WITHIN_MS }))) {
      this.logger.warn({ tokenId: command.tokenId, workspaceId: admin.workspaceId }, 'SCIM token revoked but not yet projected; is the projector running?');
    }
    this.tokens.forget();
  }
}
