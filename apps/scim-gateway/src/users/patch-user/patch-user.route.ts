import { Body, Controller, Headers, Param, Patch, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { normalizePatchRequest } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { commandContextOf } from '../../write/command-context';
import { UserChangeResponse } from '../shared/user-change-response';
import { ifMatchRevisionOf } from '../shared/user-request';
import type { UserChange } from '../shared/change-user';
import { PatchUserCommand } from './patch-user.command';

/**
 * `PATCH /Users/{id}` answers 200 with the resource (RFC 7644 §3.5.2 allows 204; Entra and Okta
 * both read the body), honouring attributes/excludedAttributes. A no-op PATCH appends nothing.
 */
@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class PatchUserRoute {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly response: UserChangeResponse,
  ) {}

  @Patch(':id')
  async patch(
    @Principal() principal: ScimPrincipal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const change = await this.commandBus.execute<PatchUserCommand, UserChange>(
      new PatchUserCommand(id, normalizePatchRequest(body), ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, body)),
    );
    return this.response.render(change, principal, request, reply, query);
  }
}
