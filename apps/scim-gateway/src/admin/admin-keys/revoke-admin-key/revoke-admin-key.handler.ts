import { adminWriteContext } from '../../auth/admin-key.guard';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LOGGER, type Logger, READ_MODEL, waitForCheckpoint } from '@axis/platform';
import { WorkspaceCommands } from '@axis/write';
import { WORKSPACES_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { RevokeAdminKeyCommand } from './revoke-admin-key.command';

const VISIBLE_WITHIN_MS = 5000;

/**
 * Revokes an admin key (`TENANT_ADMIN_KEY_REVOKED`, refused for the workspace's last active key),
 * then waits until the projector has marked it revoked: AdminKeyGuard reads `admin_keys` on every
 * request without a cache, so from the next request on no gateway process accepts the key or a
 * console session opened with it.
 */
@CommandHandler(RevokeAdminKeyCommand)
export class RevokeAdminKeyHandler implements ICommandHandler<RevokeAdminKeyCommand, void> {
  constructor(
    private readonly workspaces: WorkspaceCommands,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: RevokeAdminKeyCommand): Promise<void> {
    const { admin } = command;
    const result = await this.workspaces.revokeAdminKey(
      adminWriteContext(admin, command.requestId),
      command.keyId,
      { allowLastKey: false },
    );
    if (result.position && !(await waitForCheckpoint(this.readModel, WORKSPACES_PROJECTION, result.position, { timeoutMs: VISIBLE_WITHIN_MS }))) {
      this.logger.warn({ keyId: command.keyId, workspaceId: admin.workspaceId }, 'admin key revoked but not yet projected; is the projector running?');
    }
  }
}
