import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { InvalidScimRequestCursorError, searchScimRequests } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { ScimRequestPage } from '../scim-request.views';
import { ListScimRequestsQuery } from './list-scim-requests.dto';

/** The SCIM request log: the workspace's SCIM requests, newest first, filtered and cursor-paginated. */
@Controller('api/v1/workspaces/:slug/scim-requests')
@AdminApi('SCIM request log')
export class ListScimRequestsRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get()
  @ApiOperation({ summary: "The workspace's SCIM requests (status, user, operation, time, request id), newest first" })
  @ApiOkResponse({ type: ScimRequestPage })
  async list(@Admin() admin: AdminPrincipal, @Query() query: ListScimRequestsQuery): Promise<ScimRequestPage> {
    try {
      return await searchScimRequests(this.readModel, {
        workspaceId: admin.workspaceId,
        ...(query.status ? { statuses: query.status.split(',') } : {}),
        ...(query.user ? { user: query.user } : {}),
        ...(query.operation ? { operation: query.operation } : {}),
        ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
        ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
        ...(query.requestId ? { requestId: query.requestId } : {}),
        limit: query.limit ?? 50,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
    } catch (error) {
      if (error instanceof InvalidScimRequestCursorError) throw new BadRequestException({ error: 'invalid_request', message: 'invalid cursor' });
      throw error;
    }
  }
}
