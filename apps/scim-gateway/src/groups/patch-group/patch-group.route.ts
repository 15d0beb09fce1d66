import { Body, Controller, Headers, Param, Patch, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { assertWithinGroupLimits } from '@axis/domain';
import { normalizePatchRequest } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { ifMatchRevisionOf, projectionOf } from '../../users/shared/user-request';
import { commandContextOf } from '../../write/command-context';
import type { GroupDecision } from '../shared/change-group';
import { GroupChangeResponse } from '../shared/group-change-response';
import { PatchGroupCommand } from './patch-group.command';

/**
 * `PATCH /Groups/{id}` answers 204 No Content with the new ETag (Entra expects 204 for groups;
 * Okta accepts it; RFC 7644 §3.5.2 allows it), or 200 with the group when the request asks for a
 * representation with `attributes` or `excludedAttributes` (e.g. `?excludedAttributes=members`).
 * A PATCH that changes nothing appends nothing. Above GROUP_LIMITS it is 413.
 */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class PatchGroupRoute {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly response: GroupChangeResponse,
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
  ): Promise<Record<string, unknown> | undefined> {
    assertWithinGroupLimits(body);
    const decision = await this.commandBus.execute<PatchGroupCommand, GroupDecision>(
      new PatchGroupCommand(id, normalizePatchRequest(body), ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, body)),
    );
    const projection = projectionOf(query);
    const asked = projection.attributes !== undefined || projection.excludedAttributes !== undefined;
    return asked ? this.response.render(decision, principal, reply, projection) : this.response.noContent(decision, reply);
  }
}
