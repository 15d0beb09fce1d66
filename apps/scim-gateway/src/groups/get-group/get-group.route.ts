import { Controller, Get, Headers, Inject, Param, Query, Res, UseGuards } from '@nestjs/common';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { findGroup, GROUPS_PROJECTION } from '@axis/read-model';
import { scimErrors } from '@axis/scim';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { answersNotModified, projectionOf } from '../../users/shared/user-request';
import { GroupMemberDisplays } from '../shared/group-member-displays';
import { GroupReadYourWrites } from '../../consistency/group-read-your-writes';
import { toScimGroup, wantsMembers } from '../shared/group-resource';

/**
 * `GET /Groups/{id}` from the read model. With `excludedAttributes=members` (Entra's every read)
 * the members are not read at all: one indexed row, whatever the group's size.
 */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class GetGroupRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly readYourWrites: GroupReadYourWrites,
    private readonly memberDisplays: GroupMemberDisplays,
  ) {}

  @Get(':id')
  async get(
    @Principal() principal: ScimPrincipal,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown> | undefined> {
    await this.readYourWrites.waitFor(principal.workspaceId, GROUPS_PROJECTION);
    const row = await findGroup(this.readModel, principal.workspaceId, id);
    if (!row) throw scimErrors.notFound(`Group ${id} not found`);
    if (answersNotModified(reply, row.revision, ifNoneMatch)) return undefined;
    const projection = projectionOf(query);
    const members = wantsMembers(projection) ? (await this.memberDisplays.ofGroups(principal.workspaceId, [id])).get(id) : undefined;
    return toScimGroup(row, members, scimBaseUrl(this.config, principal.endpoint), projection);
  }
}
