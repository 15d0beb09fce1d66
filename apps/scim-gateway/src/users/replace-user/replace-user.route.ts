import { Body, Controller, Headers, Param, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { normalizeReplaceRequest, USER_SCHEMA } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { commandContextOf } from '../../write/command-context';
import { UserChangeResponse } from '../shared/user-change-response';
import { ifMatchRevisionOf } from '../shared/user-request';
import type { UserChange } from '../shared/change-user';
import { ReplaceUserCommand } from './replace-user.command';

/** `PUT /Users/{id}`: replace semantics (Okta updates users this way); `active: false` deactivates. */
@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class ReplaceUserRoute {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly response: UserChangeResponse,
  ) {}

  @Put(':id')
  async replace(
    @Principal() principal: ScimPrincipal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const resource = normalizeReplaceRequest(body, USER_SCHEMA);
    const change = await this.commandBus.execute<ReplaceUserCommand, UserChange>(
      new ReplaceUserCommand(id, resource, ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, body)),
    );
    return this.response.render(change, principal, request, reply, query);
  }
}
