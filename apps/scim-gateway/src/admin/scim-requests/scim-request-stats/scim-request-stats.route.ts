import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { scimRequestStats } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { ScimRequestStatsView } from '../scim-request.views';

/** The connection panel's figures: did the IdP call, how often, what was refused, which IdP it looked like. */
@Controller('api/v1/workspaces/:slug/scim-requests')
@AdminApi('SCIM request log')
export class ScimRequestStatsRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  // A static segment: Fastify's router matches it before `:requestId`.
  @Get('stats')
  @ApiOperation({ summary: 'SCIM requests and refusals of the last 24 h, and the last request and its IdP dialect' })
  @ApiOkResponse({ type: ScimRequestStatsView })
  async stats(@Admin() admin: AdminPrincipal): Promise<ScimRequestStatsView> {
    return scimRequestStats(this.readModel, admin.workspaceId, new Date());
  }
}
