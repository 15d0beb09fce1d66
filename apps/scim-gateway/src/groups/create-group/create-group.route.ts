import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG } from '@axis/platform';
import { formatETag } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { projectionOf } from '../../users/shared/user-request';
import { WorkspaceScimSettings } from '../../scim-settings/workspace-scim-settings';
import { commandContextOf } from '../../write/command-context';
import { type GroupDecision, viewOfDecision } from '../shared/change-group';
import { GroupMemberDisplays } from '../shared/group-member-displays';
import { groupLocation, toScimGroup, wantsMembers } from '../shared/group-resource';
import { CreateGroupCommand } from './create-group.command';
import { normaliseNewGroup } from './create-group.normaliser';

/** `POST /Groups` → 201 with the group, `Location` and `ETag`; a taken displayName is 409 uniqueness. */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class CreateGroupRoute {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly memberDisplays: GroupMemberDisplays,
    private readonly scimSettings: WorkspaceScimSettings,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @Body() body: unknown,
    @Principal() principal: ScimPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const group = normaliseNewGroup(body, await this.scimSettings.unknownAttributePolicy(principal.workspaceId));
    const decision = await this.commandBus.execute<CreateGroupCommand, GroupDecision>(
      new CreateGroupCommand(group.displayName, group.externalId, group.memberIds, commandContextOf(principal, request, body)),
    );
    const view = viewOfDecision(decision);
    const baseUrl = scimBaseUrl(this.config, principal.endpoint);
    const projection = projectionOf(request.query as Record<string, unknown>);
    const members = wantsMembers(projection) ? await this.memberDisplays.ofState(principal.workspaceId, decision.state) : undefined;
    void reply.header('Location', groupLocation(baseUrl, view.id)).header('ETag', formatETag(view.revision));
    return toScimGroup(view, members, baseUrl, projection);
  }
}
