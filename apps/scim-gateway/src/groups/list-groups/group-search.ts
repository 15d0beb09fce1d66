import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { GROUP_SEARCH_PARAM_OFFSET, GROUPS_PROJECTION, searchGroups } from '@axis/read-model';
import { buildListResponse, compileListRequestToSql, DEFAULT_GROUP_SQL_MAPPING, fitPageToBudget, type ListRequest } from '@axis/scim';
import type { DataSource } from 'typeorm';
import type { WorkspaceEndpoint } from '../../http/workspace-endpoint';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { GroupMemberDisplays } from '../shared/group-member-displays';
import { GroupReadYourWrites } from '../../consistency/group-read-your-writes';
import { toScimGroup, wantsMembers } from '../shared/group-resource';
import { groupSchema } from '../shared/group-schema';

/**
 * `GET /Groups` and `POST /Groups/.search`: filters (`displayName eq`, `externalId eq`,
 * `members[value eq "…"]`, `id eq … or id eq …` …) and sortBy compile to parameterised SQL over
 * the group projection, paged in a stable order; members are read only when the response shows them.
 */
@Injectable()
export class GroupSearch {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly readYourWrites: GroupReadYourWrites,
    private readonly memberDisplays: GroupMemberDisplays,
  ) {}

  async search(workspaceId: string, endpoint: WorkspaceEndpoint, request: ListRequest): Promise<Record<string, unknown>> {
    const dialect = this.readModel.options.type === 'postgres' ? 'postgres' : 'sqlite';
    const query = compileListRequestToSql(request, groupSchema, DEFAULT_GROUP_SQL_MAPPING, { dialect, paramOffset: GROUP_SEARCH_PARAM_OFFSET, workspaceId });
    await this.readYourWrites.waitFor(workspaceId, GROUPS_PROJECTION);
    const page = await searchGroups(this.readModel, { workspaceId, ...query });
    const members = wantsMembers(request)
      ? await this.memberDisplays.ofGroups(workspaceId, page.rows.map((row) => row.id))
      : undefined;
    const baseUrl = scimBaseUrl(this.config, endpoint);
    // Members make a group's size: measured as rendered.
    const resources = fitPageToBudget(
      page.rows.map((row) => toScimGroup(row, members?.get(row.id), baseUrl, request)),
      (resource) => resource,
    );
    return { ...buildListResponse(resources, page.total, request) };
  }
}
