import { Module } from '@nestjs/common';
import { AdminModule } from '../admin.module';
import { GetScimRequestRoute } from './get-scim-request/get-scim-request.route';
import { ListScimRequestsRoute } from './list-scim-requests/list-scim-requests.route';
import { ScimRequestStatsRoute } from './scim-request-stats/scim-request-stats.route';

/** `GET /api/v1/workspaces/:slug/scim-requests` (+ `/stats`, `/{requestId}`): the SCIM request log. */
@Module({ imports: [AdminModule], controllers: [ScimRequestStatsRoute, ListScimRequestsRoute, GetScimRequestRoute] })
export class ScimRequestsAdminModule {}
