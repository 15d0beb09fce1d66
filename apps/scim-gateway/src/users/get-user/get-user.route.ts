import { Controller, Get, Headers, Inject, Param, Query, Res, UseGuards } from '@nestjs/common';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { findMember, GROUPS_PROJECTION, MEMBERS_PROJECTION } from '@axis/read-model';
import { scimErrors } from '@axis/scim';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { GroupReadYourWrites } from '../../consistency/group-read-your-writes';
import { ReadYourWrites } from '../../consistency/read-your-writes';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { answersNotModified, projectionOf } from '../shared/user-request';
import { toScimUser, userViewOfRow } from '../shared/user-resource';

/** `GET /Users/{id}` from the read model; deactivated users are returned too (IdPs rely on it). */
@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class GetUserRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly readYourWrites: ReadYourWrites,
    private readonly groupWrites: GroupReadYourWrites,
    private readonly workspaceSchemas: WorkspaceSchemas,
  ) {}

  @Get(':id')
  async get(
    @Principal() principal: ScimPrincipal,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown> | undefined> {
    // The user's `groups` come from the group projection: a group write just made must show too.
    await Promise.all([this.readYourWrites.waitFor(principal.workspaceId, MEMBERS_PROJECTION), this.groupWrites.waitFor(principal.workspaceId, GROUPS_PROJECTION)]);
    const row = await findMember(this.readModel, principal.workspaceId, id, 'scim');
    if (!row) throw scimErrors.notFound(`User ${id} not found`);
    if (answersNotModified(reply, row.revision, ifNoneMatch)) return undefined;
    const schemas = await this.workspaceSchemas.forWorkspace(principal.workspaceId);
    return toScimUser(userViewOfRow(row), scimBaseUrl(this.config, principal.endpoint), projectionOf(query), schemas.reads);
  }
}
