import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { parseListQuery } from '@axis/scim';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { UserSearch } from './user-search';

@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class ListUsersRoute {
  constructor(private readonly users: UserSearch) {}

  @Get()
  list(@Principal() principal: ScimPrincipal, @Query() query: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.users.search(principal, parseListQuery(query));
  }
}
