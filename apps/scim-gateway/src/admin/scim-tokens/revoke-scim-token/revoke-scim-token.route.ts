import { Controller, Delete, HttpCode, Param, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { RevokeScimTokenCommand } from './revoke-scim-token.command';

@Controller('api/v1/workspaces/:slug/scim-tokens')
@AdminApi('SCIM tokens')
export class RevokeScimTokenRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a SCIM token', description: 'Takes effect on the next SCIM request. Revoking twice is not an error.' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such token in this workspace' })
  async revoke(@Admin() admin: AdminPrincipal, @Param('id') tokenId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new RevokeScimTokenCommand(admin, tokenId, String(request.id)));
  }
}
