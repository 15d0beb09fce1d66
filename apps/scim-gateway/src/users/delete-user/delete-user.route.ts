import { Controller, Delete, Headers, HttpCode, Param, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { commandContextOf } from '../../write/command-context';
import { ifMatchRevisionOf } from '../shared/user-request';
import { DeleteUserCommand } from './delete-user.command';

@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class DeleteUserRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @HttpCode(204)
  async delete(
    @Principal() principal: ScimPrincipal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.commandBus.execute(new DeleteUserCommand(id, ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, undefined)));
  }
}
