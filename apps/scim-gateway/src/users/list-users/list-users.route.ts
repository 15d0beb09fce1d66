import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { MEMBER_SEARCH_PARAM_OFFSET, MEMBERS_PROJECTION, searchMembers } from '@axis/read-model';
import {
  buildListResponse,
  compileFilterToSql,
  DEFAULT_USER_SQL_MAPPING,
  parseFilter,
  parseListQuery,
  toSqlPaging,
} from '@axis/scim';
import type { DataSource } from 'typeorm';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { ReadYourWrites } from '../../consistency/read-your-writes';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { toScimUser } from '../shared/user-resource';
import { userSchema } from '../shared/user-schema';


/** `GET /Users`: filter compiled to parameterised SQL over the read model, paged. */
@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class ListUsersRoute {
  private readonly baseUrl: string;

  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) config: GatewayConfig,
    private readonly readYourWrites: ReadYourWrites,
  ) {
    this.baseUrl = scimBaseUrl(config);
  }

  @Get()
  async list(
    @Principal() principal: ScimPrincipal,
    @Query() query: Record<string, string | undefined>,
  ): Promise<Record<string, unknown>> {
    const request = parseListQuery(query);
    const where =
      request.filter === undefined
        ? undefined
        : compileFilterToSql(parseFilter(request.filter, userSchema), DEFAULT_USER_SQL_MAPPING, {
            dialect: this.readModel.options.type === 'postgres' ? 'postgres' : 'sqlite',
            paramOffset: MEMBER_SEARCH_PARAM_OFFSET,
          });
    await this.readYourWrites.waitFor(principal.workspaceId, MEMBERS_PROJECTION);
    const page = await searchMembers(this.readModel, {
      workspaceId: principal.workspaceId,
      ...(where ? { where } : {}),
      ...toSqlPaging(request),
    });
    const resources = page.rows.map((row) =>
      toScimUser({ id: row.id, attributes: row.resource, active: row.active, revision: row.revision, createdAt: row.createdAt, updatedAt: row.updatedAt }, this.baseUrl),
    );
    return { ...buildListResponse(resources, page.total, request) };
  }
}
