import { Body, Controller, Headers, Param, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { assertWithinGroupLimits } from '@axis/domain';
import { GROUP_SCHEMA, normalizeReplaceRequest } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { ifMatchRevisionOf, projectionOf } from '../../users/shared/user-request';
import { commandContextOf } from '../../write/command-context';
import type { GroupDecision } from '../shared/change-group';
import { GroupChangeResponse } from '../shared/group-change-response';
import { ReplaceGroupCommand } from './replace-group.command';

/** `PUT /Groups/{id}`: displayName, externalId and the whole membership replaced; 200 with the group. */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class ReplaceGroupRoute {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly response: GroupChangeResponse,
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
    const resource = normalizeReplaceRequest(body, GROUP_SCHEMA);
    assertWithinGroupLimits(body);
    const decision = await this.commandBus.execute<ReplaceGroupCommand, GroupDecision>(
      new ReplaceGroupCommand(id, resource, ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, body)),
    );
    return this.response.render(decision, principal, reply, projectionOf(query));
  }
}
