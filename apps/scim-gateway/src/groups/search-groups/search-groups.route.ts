import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { parseSearchRequest } from '@axis/scim';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { GroupSearch } from '../list-groups/group-search';

/** `POST /Groups/.search` (RFC 7644 §3.4.3): the query in a SearchRequest body, same results as GET. */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class SearchGroupsRoute {
  constructor(private readonly groups: GroupSearch) {}

  @Post('.search')
  @HttpCode(200)
  search(@Principal() principal: ScimPrincipal, @Body() body: unknown): Promise<Record<string, unknown>> {
    return this.groups.search(principal.workspaceId, principal.endpoint, parseSearchRequest(body));
  }
}
