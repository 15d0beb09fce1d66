import { Body, Controller, Headers, Inject, Param, Patch, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { assertWithinGroupLimits } from '@axis/domain';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { formatETag } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { ifMatchRevisionOf, projectionOf } from '../../users/shared/user-request';
import { commandContextOf } from '../../write/command-context';
import { type GroupDecision, membersOfState, viewOfDecision } from '../shared/change-group';
import { toScimGroup, wantsMembers } from '../shared/group-resource';
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
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
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
      new PatchGroupCommand(id, body, ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, body)),
    );
    const view = viewOfDecision(decision);
    void reply.header('ETag', formatETag(view.revision));
    const projection = projectionOf(query);
    if (projection.attributes === undefined && projection.excludedAttributes === undefined) {
      void reply.status(204);
      return undefined;
    }
    const members = wantsMembers(projection) ? await membersOfState(this.readModel, principal.workspaceId, decision.state) : undefined;
    return toScimGroup(view, members, scimBaseUrl(this.config, principal.endpoint), projection);
  }
}
