import { Controller, Delete, HttpCode, Param, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { RevokeAdminKeyCommand } from './revoke-admin-key.command';

@Controller('api/v1/workspaces/:slug/admin-keys')
@AdminApi('Admin keys')
export class RevokeAdminKeyRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an admin API key',
    description: 'Takes effect on the next request, on every gateway process, and ends the console sessions opened with it. Revoking twice is not an error.',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such admin key in this workspace (error not_found)' })
  @ApiConflictResponse({ description: "The workspace's last active admin key (error last_admin_key); only the operator CLI may revoke it" })
  async revoke(@Admin() admin: AdminPrincipal, @Param('id') keyId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new RevokeAdminKeyCommand(admin, keyId, String(request.id)));
  }
}
