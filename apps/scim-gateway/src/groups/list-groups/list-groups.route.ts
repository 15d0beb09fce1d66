import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { parseListQuery } from '@axis/scim';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { GroupSearch } from './group-search';

/** `GET /Groups?filter=…&startIndex=…&count=…&excludedAttributes=members`. */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class ListGroupsRoute {
  constructor(private readonly groups: GroupSearch) {}

  @Get()
  list(@Principal() principal: ScimPrincipal, @Query() query: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.groups.search(principal.workspaceId, principal.endpoint, parseListQuery(query));
  }
}
