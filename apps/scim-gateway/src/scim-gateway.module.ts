import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module';
import { DiscoveryRoute } from './discovery/discovery.route';
import { HealthRoute } from './health/health.route';
import { ScimExceptionFilter } from './http/scim-exception.filter';
import { UsersModule } from './users/users.module';

/** SCIM 2.0 under /scim/v2, health, and the admin API. Reads the read model, writes events. */
@Module({
  imports: [CqrsModule.forRoot(), AuthModule, UsersModule],
  controllers: [HealthRoute, DiscoveryRoute],
  providers: [{ provide: APP_FILTER, useClass: ScimExceptionFilter }],
})
export class ScimGatewayModule {}
