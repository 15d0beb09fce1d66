import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { listAdminKeys } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { AdminKeyList } from '../admin-key.views';

@Controller('api/v1/workspaces/:slug/admin-keys')
@AdminApi('Admin keys')
export class ListAdminKeysRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get()
  @ApiOperation({ summary: "The workspace's admin API keys, active and revoked (never the keys themselves)" })
  @ApiOkResponse({ type: AdminKeyList })
  async list(@Admin() admin: AdminPrincipal): Promise<AdminKeyList> {
    return { items: await listAdminKeys(this.readModel, admin.workspaceId) };
  }
}
