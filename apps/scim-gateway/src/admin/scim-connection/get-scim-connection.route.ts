import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { workspaceScimBaseUrl } from '@axis/config';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { scimConnectionStats, scimRequestStats } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../../gateway.config';
import { Admin, AdminApi } from '../auth/admin.decorators';
import type { AdminPrincipal } from '../auth/admin-key.guard';
import { pilotChecklist } from './scim-connection.checklist';
import { ScimConnectionView } from './scim-connection.views';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Settings → Identity → SCIM → connection panel: "did the Test connection reach us?" */
@Controller('api/v1/workspaces/:slug/scim-connection')
@AdminApi('SCIM tokens')
export class GetScimConnectionRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'When the IdP last called, its dialect, rejections in 24 h, users and groups provisioned, and the pilot checklist' })
  @ApiOkResponse({ type: ScimConnectionView })
  async get(@Admin() admin: AdminPrincipal): Promise<ScimConnectionView> {
    const now = new Date();
    const [stats, requests] = await Promise.all([
      scimConnectionStats(this.readModel, admin.workspaceId, new Date(now.getTime() - DAY_MS).toISOString()),
      this.config.scimRequestLog() ? scimRequestStats(this.readModel, admin.workspaceId, now) : undefined,
    ]);
    return {
      scimBaseUrl: workspaceScimBaseUrl(this.config, admin.workspaceId),
      lastRequestAt: stats.lastRequestAt,
      lastDialect: stats.lastDialect,
      requestsLast24h: requests?.requestsLast24h ?? null,
      rejectionsLast24h: stats.rejectionsSince,
      usersProvisioned: stats.scimUsers,
      groupsProvisioned: stats.scimGroups,
      activeTokens: stats.activeTokens,
      checklist: pilotChecklist(stats),
    };
  }
}
