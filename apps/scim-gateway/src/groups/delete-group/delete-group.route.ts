import { Controller, Delete, Headers, HttpCode, Param, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { ifMatchRevisionOf } from '../../users/shared/user-request';
import { commandContextOf } from '../../write/command-context';
import { DeleteGroupCommand } from './delete-group.command';

/** `DELETE /Groups/{id}` → 204; a later GET is 404. */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class DeleteGroupRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @HttpCode(204)
  async delete(
    @Principal() principal: ScimPrincipal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.commandBus.execute(new DeleteGroupCommand(id, ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, undefined)));
  }
}
