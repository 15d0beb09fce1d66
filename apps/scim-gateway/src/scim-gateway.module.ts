import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AdminModule } from './admin/admin.module';
import { AuditAdminModule } from './admin/audit/audit-admin.module';
import { CustomAttributesAdminModule } from './admin/custom-attributes/custom-attributes-admin.module';
import { MembersAdminModule } from './admin/members/members-admin.module';
import { ScimRequestsAdminModule } from './admin/scim-requests/scim-requests-admin.module';
import { WebhooksAdminModule } from './admin/webhooks/webhooks-admin.module';
import { AuthModule } from './auth/auth.module';
import { BulkModule } from './bulk/bulk.module';
import { ConsoleModule } from './console/console.module';
import { CustomAttributesModule } from './custom-attributes/custom-attributes.module';
import { DiscoveryRoute } from './discovery/discovery.route';
import { GroupsModule } from './groups/groups.module';
import { RootSearchModule } from './root-search/root-search.module';
import { HealthRoute } from './health/health.route';
import { SessionsModule } from './sessions/sessions.module';
import { ScimExceptionFilter } from './errors/scim-exception.filter';
import { ReaderThreadsModule } from './reader-threads/reader-threads.module';
import { RequestLogModule } from './request-log/request-log.module';
import { UnreadableBodyPipe } from './http/unreadable-body';
import { UsersModule } from './users/users.module';

/**
 * SCIM 2.0 under /scim/v2 (and /workspaces/<slug>/scim/v2), health, the admin API under /api/v1
 * (OpenAPI at /api/docs), the admin console (sign-in under /api/v1/console, its files under /admin)
 * and the internal session endpoints. Reads the read model, writes events —
 * except sessions, operational state written straight to the read-model database.
 */
@Module({
  imports: [
    CqrsModule.forRoot(),
    AuthModule,
    UsersModule,
    AdminModule,
    ConsoleModule,
    AuditAdminModule,
    MembersAdminModule,
    WebhooksAdminModule,
    ScimRequestsAdminModule,
    SessionsModule,
    GroupsModule,
    RootSearchModule,
    BulkModule,
    CustomAttributesModule,
    CustomAttributesAdminModule,
    RequestLogModule,
    ReaderThreadsModule,
  ],
  controllers: [HealthRoute, DiscoveryRoute],
  providers: [
    { provide: APP_FILTER, useClass: ScimExceptionFilter },
    { provide: APP_PIPE, useClass: UnreadableBodyPipe },
  ],
})
export class ScimGatewayModule {}
