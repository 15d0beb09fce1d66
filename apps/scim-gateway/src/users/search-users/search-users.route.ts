import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { parseSearchRequest } from '@axis/scim';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import { UserSearch } from '../list-users/user-search';

/** `POST /Users/.search` (RFC 7644 §3.4.3): the query in a SearchRequest body, same results as GET. */
@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class SearchUsersRoute {
  constructor(private readonly users: UserSearch) {}

  @Post('.search')
  @HttpCode(200)
  search(@Principal() principal: ScimPrincipal, @Body() body: unknown): Promise<Record<string, unknown>> {
    return this.users.search(principal, parseSearchRequest(body));
  }
}
