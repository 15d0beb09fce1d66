import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { WorkspaceCommands } from '@axis/platform';
import { ConsistencyModule } from '../consistency/consistency.module';
import { AdminKeyGuard } from './auth/admin-key.guard';
import { ListMembersRoute } from './members/list-members/list-members.route';
import { CreateScimTokenHandler } from './scim-tokens/create-scim-token/create-scim-token.handler';
import { CreateScimTokenRoute } from './scim-tokens/create-scim-token/create-scim-token.route';
import { ListScimTokensRoute } from './scim-tokens/list-scim-tokens/list-scim-tokens.route';
import { RevokeScimTokenHandler } from './scim-tokens/revoke-scim-token/revoke-scim-token.handler';
import { RevokeScimTokenRoute } from './scim-tokens/revoke-scim-token/revoke-scim-token.route';
import { GetWorkspaceRoute } from './workspace/get-workspace.route';

/**
 * The admin API under `/api/v1/workspaces/:slug/…`, authenticated by the workspace's admin keys.
 * Writes are events (actor `admin:<keyPrefix>`); reads come from the read model.
 */
@Module({
  imports: [CqrsModule, ConsistencyModule],
  controllers: [GetWorkspaceRoute, CreateScimTokenRoute, ListScimTokensRoute, RevokeScimTokenRoute, ListMembersRoute],
  providers: [
    AdminKeyGuard,
    { provide: WorkspaceCommands, useFactory: (eventStore: EventStore) => new WorkspaceCommands(eventStore), inject: [EVENT_STORE] },
    CreateScimTokenHandler,
    RevokeScimTokenHandler,
  ],
  exports: [AdminKeyGuard],
})
export class AdminModule {}
