import { Controller, Get, Inject, NotFoundException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { workspaceScimBaseUrl } from '@axis/config';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { findWorkspace } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../../gateway.config';
import { Admin, AdminApi } from '../auth/admin.decorators';
import type { AdminPrincipal } from '../auth/admin-key.guard';

export class WorkspaceView {
  @ApiProperty({ example: 'acme' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ example: 'operator' })
  createdBy!: string;

  @ApiProperty({ example: 'https://acme.axissynapse.com/scim/v2', description: 'The SCIM endpoint URL to paste into the IdP' })
  scimEndpointUrl!: string;
}

@Controller('api/v1/workspaces/:slug')
@AdminApi('Workspace')
export class GetWorkspaceRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The workspace and its SCIM endpoint URL' })
  @ApiOkResponse({ type: WorkspaceView })
  async get(@Admin() admin: AdminPrincipal): Promise<WorkspaceView> {
    const workspace = await findWorkspace(this.readModel, admin.workspaceId);
    if (!workspace) throw new NotFoundException();
    return {
      id: workspace.id,
      createdAt: workspace.createdAt,
      createdBy: workspace.createdBy,
      scimEndpointUrl: workspaceScimBaseUrl(this.config, workspace.id),
    };
  }
}
