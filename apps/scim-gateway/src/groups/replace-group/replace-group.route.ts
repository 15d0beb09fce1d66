import { Body, Controller, Headers, Inject, Param, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { assertWithinGroupLimits } from '@axis/domain';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { formatETag, GROUP_SCHEMA, validateSchemas } from '@axis/scim';
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
import { ReplaceGroupCommand } from './replace-group.command';

/** `PUT /Groups/{id}`: displayName, externalId and the whole membership replaced; 200 with the group. */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class ReplaceGroupRoute {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
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
    validateSchemas(body, GROUP_SCHEMA);
    assertWithinGroupLimits(body);
    const decision = await this.commandBus.execute<ReplaceGroupCommand, GroupDecision>(
      new ReplaceGroupCommand(id, body, ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, body)),
    );
    const view = viewOfDecision(decision);
    void reply.header('ETag', formatETag(view.revision));
    const projection = projectionOf(query);
    const members = wantsMembers(projection) ? await membersOfState(this.readModel, principal.workspaceId, decision.state) : undefined;
    return toScimGroup(view, members, scimBaseUrl(this.config, principal.endpoint), projection);
  }
}
