import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { listScimTokens } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { ScimTokenList } from '../scim-token.views';

@Controller('api/v1/workspaces/:slug/scim-tokens')
@AdminApi('SCIM tokens')
export class ListScimTokensRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get()
  @ApiOperation({ summary: "The workspace's SCIM tokens, live and revoked (never the tokens themselves)" })
  @ApiOkResponse({ type: ScimTokenList })
  async list(@Admin() admin: AdminPrincipal): Promise<ScimTokenList> {
    return { items: await listScimTokens(this.readModel, admin.workspaceId) };
  }
}
