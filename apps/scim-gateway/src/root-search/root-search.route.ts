import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { parseSearchRequest } from '@axis/scim';
import { ScimBearerGuard, type ScimPrincipal } from '../auth/scim-bearer.guard';
import { Principal } from '../auth/scim-principal.decorator';
import { RootSearch } from './root-search';

/** `POST /.search` at the service root (RFC 7644 §3.4.3): Users and Groups in one list. */
@Controller('scim/v2')
@UseGuards(ScimBearerGuard)
export class RootSearchRoute {
  constructor(private readonly rootSearch: RootSearch) {}

  @Post('.search')
  @HttpCode(200)
  search(@Principal() principal: ScimPrincipal, @Body() body: unknown): Promise<Record<string, unknown>> {
    return this.rootSearch.search(principal, parseSearchRequest(body));
  }
}
