import { adminWriteContext } from '../../auth/admin-key.guard';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LOGGER, type Logger, READ_MODEL, waitForCheckpoint } from '@axis/platform';
import { type IssuedSecret, WorkspaceCommands } from '@axis/write';
import { WORKSPACES_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { CreateAdminKeyCommand } from './create-admin-key.command';

const VISIBLE_WITHIN_MS = 5000;

/**
 * Issues an admin key (the same write as `axis admin-key create`), then waits until the projector
 * has put it in `admin_keys`, so the key works on the next request on every gateway process.
 */
@CommandHandler(CreateAdminKeyCommand)
export class CreateAdminKeyHandler implements ICommandHandler<CreateAdminKeyCommand, IssuedSecret> {
  constructor(
    private readonly workspaces: WorkspaceCommands,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: CreateAdminKeyCommand): Promise<IssuedSecret> {
    const { admin } = command;
    const issued = await this.workspaces.createAdminKey(
      adminWriteContext(admin, command.requestId),
      command.description,
    );
    if (issued.position && !(await waitForCheckpoint(this.readModel, WORKSPACES_PROJECTION, issued.position, { timeoutMs: VISIBLE_WITHIN_MS }))) {
      this.logger.warn({ keyId: issued.id, workspaceId: admin.workspaceId }, 'admin key issued but not yet projected; is the projector running?');
    }
    return issued;
  }
}
