import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { findScimRequest } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { ScimRequestDetail } from '../scim-request.views';

/** One logged SCIM request with its redacted bodies: what an audit entry's requestId links to. */
@Controller('api/v1/workspaces/:slug/scim-requests')
@AdminApi('SCIM request log')
export class GetScimRequestRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get(':requestId')
  @ApiOperation({ summary: 'A logged SCIM request with its query and bodies (secrets redacted)' })
  @ApiParam({ name: 'requestId', description: "The request's X-Request-Id (an audit entry's requestId)" })
  @ApiOkResponse({ type: ScimRequestDetail })
  @ApiNotFoundResponse({ description: 'No logged request of this workspace has that id (never logged, or past the retention)' })
  async get(@Admin() admin: AdminPrincipal, @Param('requestId') requestId: string): Promise<ScimRequestDetail> {
    const request = await findScimRequest(this.readModel, admin.workspaceId, requestId);
    if (!request) throw new NotFoundException({ error: 'not_found', message: `No logged SCIM request ${requestId}` });
    return request;
  }
}
