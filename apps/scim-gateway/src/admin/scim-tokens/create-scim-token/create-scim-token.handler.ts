import { adminWriteContext } from '../../auth/admin-key.guard';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LOGGER, type Logger, READ_MODEL, waitForCheckpoint } from '@axis/platform';
import { type IssuedSecret, WorkspaceCommands } from '@axis/write';
import { WORKSPACES_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { CreateScimTokenCommand } from './create-scim-token.command';

/** How long the admin waits for the projector before getting the token anyway. */
const VISIBLE_WITHIN_MS = 5000;

/**
 * Issues a token (only its digest is recorded), then waits until the projector has put it in
 * `scim_tokens`: every gateway process reads that table, so the token works on the very next
 * SCIM request, whichever process serves it.
 */
@CommandHandler(CreateScimTokenCommand)
export class CreateScimTokenHandler implements ICommandHandler<CreateScimTokenCommand, IssuedSecret> {
  constructor(
    private readonly workspaces: WorkspaceCommands,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: CreateScimTokenCommand): Promise<IssuedSecret> {
    const { admin } = command;
    const issued = await this.workspaces.createScimToken(
      adminWriteContext(admin, command.requestId),
      command.description,
    );
    if (issued.position && !(await waitForCheckpoint(this.readModel, WORKSPACES_PROJECTION, issued.position, { timeoutMs: VISIBLE_WITHIN_MS }))) {
      this.logger.warn({ tokenId: issued.id, workspaceId: admin.workspaceId }, 'SCIM token issued but not yet projected; is the projector running?');
    }
    return issued;
  }
}
