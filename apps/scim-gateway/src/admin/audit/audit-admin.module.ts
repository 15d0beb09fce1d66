import { Module } from '@nestjs/common';
import { AdminModule } from '../admin.module';
import { AuditRoute } from './audit.route';

/** `GET /api/v1/workspaces/:slug/audit` (+ `/export`): import in ScimGatewayModule. */
@Module({ imports: [AdminModule], controllers: [AuditRoute] })
export class AuditAdminModule {}
