import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { GROUPS_PROJECTION, MEMBER_SEARCH_PARAM_OFFSET, MEMBERS_PROJECTION, searchMembers } from '@axis/read-model';
import { buildListResponse, compileListRequestToSql, DEFAULT_USER_SQL_MAPPING, fitPageToBudget, type ListRequest } from '@axis/scim';
import type { DataSource } from 'typeorm';
import type { ScimPrincipal } from '../../auth/scim-bearer.guard';
import { GroupReadYourWrites } from '../../consistency/group-read-your-writes';
import { ReadYourWrites } from '../../consistency/read-your-writes';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';
import { toScimUser, userViewOfRow } from '../shared/user-resource';
import { WriteSideLookup } from './write-side-lookup';

/**
 * `GET /Users` and `POST /Users/.search`: the filter and sortBy compile to parameterised SQL over
 * the read model (never string-built from input), paged with a stable order. A lookup by a unique
 * value nobody holds is answered from the write side when the read model may lag (WriteSideLookup).
 */
@Injectable()
export class UserSearch {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly readYourWrites: ReadYourWrites,
    private readonly groupWrites: GroupReadYourWrites,
    private readonly workspaceSchemas: WorkspaceSchemas,
    private readonly writeSide: WriteSideLookup,
  ) {}

  async search(principal: ScimPrincipal, request: ListRequest): Promise<Record<string, unknown>> {
    const { workspaceId } = principal;
    // The workspace's schema: its custom attributes filter (from the JSON column), sort and project.
    const userSchema = (await this.workspaceSchemas.forWorkspace(workspaceId)).reads;
    const baseUrl = scimBaseUrl(this.config, principal.endpoint);
    const dialect = this.readModel.options.type === 'postgres' ? 'postgres' : 'sqlite';
    const query = compileListRequestToSql(request, userSchema, DEFAULT_USER_SQL_MAPPING, { dialect, paramOffset: MEMBER_SEARCH_PARAM_OFFSET, workspaceId });
    // One look at the workspace's latest write serves both the write-side answer and the wait.
    const pending = await this.readYourWrites.pendingWrite(workspaceId, MEMBERS_PROJECTION);
    if (pending !== undefined && (await this.writeSide.holdsNobody(workspaceId, request, userSchema))) return { ...buildListResponse([], 0, request) };
    // Users carry `groups`, which the group projection fills: a group write just made must show too.
    await Promise.all([this.readYourWrites.waitForWrite(workspaceId, MEMBERS_PROJECTION, pending), this.groupWrites.waitFor(workspaceId, GROUPS_PROJECTION)]);
    const page = await searchMembers(this.readModel, { workspaceId, source: 'scim', ...query });
    // Measured on the stored resources, before any is rendered: a page over the budget costs no more than one within it.
    const rows = fitPageToBudget(page.rows, (row) => row.resource);
    const resources = rows.map((row) => toScimUser(userViewOfRow(row), baseUrl, request, userSchema));
    return { ...buildListResponse(resources, page.total, request) };
  }
}
