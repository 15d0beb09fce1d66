import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScimBearerGuard } from './auth/scim-bearer.guard';
import { ReadYourWrites } from './consistency/read-your-writes';
import { DiscoveryRoute } from './discovery/discovery.route';
import { HealthRoute } from './health/health.route';
import { ScimExceptionFilter } from './http/scim-exception.filter';
import { CreateUserHandler } from './users/create-user/create-user.handler';
import { CreateUserRoute } from './users/create-user/create-user.route';
import { ListUsersRoute } from './users/list-users/list-users.route';
import { DeciderRunner } from './write/decider-runner';

/** SCIM 2.0 under /scim/v2, health, and (later) the admin API. Reads the read model, writes events. */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [HealthRoute, DiscoveryRoute, CreateUserRoute, ListUsersRoute],
  providers: [
    { provide: APP_FILTER, useClass: ScimExceptionFilter },
    ScimBearerGuard,
    ReadYourWrites,
    DeciderRunner,
    CreateUserHandler,
  ],
})
export class ScimGatewayModule {}
