import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { WorkspaceCommands } from '@axis/write';
import { ConsistencyModule } from '../write/consistency.module';
import { ConsoleModule } from '../console/console.module';
import { CreateAdminKeyHandler } from './admin-keys/create-admin-key/create-admin-key.handler';
import { CreateAdminKeyRoute } from './admin-keys/create-admin-key/create-admin-key.route';
import { ListAdminKeysRoute } from './admin-keys/list-admin-keys/list-admin-keys.route';
import { RevokeAdminKeyHandler } from './admin-keys/revoke-admin-key/revoke-admin-key.handler';
import { RevokeAdminKeyRoute } from './admin-keys/revoke-admin-key/revoke-admin-key.route';
import { AdminKeyGuard } from './auth/admin-key.guard';
import { ListMembersRoute } from './members/list-members/list-members.route';
import { CreateScimTokenHandler } from './scim-tokens/create-scim-token/create-scim-token.handler';
import { CreateScimTokenRoute } from './scim-tokens/create-scim-token/create-scim-token.route';
import { ListScimTokensRoute } from './scim-tokens/list-scim-tokens/list-scim-tokens.route';
import { RevokeScimTokenHandler } from './scim-tokens/revoke-scim-token/revoke-scim-token.handler';
import { RevokeScimTokenRoute } from './scim-tokens/revoke-scim-token/revoke-scim-token.route';
import { GetWorkspaceRoute } from './workspace/get-workspace.route';

/**
 * The admin API under `/api/v1/workspaces/:slug/…`, authenticated by the workspace's admin keys
 * (bearer) or an admin-console session of the workspace (cookie + CSRF token).
 * Writes are events (actor `admin:<keyPrefix>`); reads come from the read model.
 */
@Module({
  imports: [CqrsModule, ConsistencyModule, ConsoleModule],
  controllers: [
    GetWorkspaceRoute,
    CreateScimTokenRoute,
    ListScimTokensRoute,
    RevokeScimTokenRoute,
    ListMembersRoute,
    ListAdminKeysRoute,
    CreateAdminKeyRoute,
    RevokeAdminKeyRoute,
  ],
  providers: [
    AdminKeyGuard,
    { provide: WorkspaceCommands, useFactory: (eventStore: EventStore) => new WorkspaceCommands(eventStore), inject: [EVENT_STORE] },
    CreateScimTokenHandler,
    RevokeScimTokenHandler,
    CreateAdminKeyHandler,
    RevokeAdminKeyHandler,
  ],
  exports: [AdminKeyGuard],
})
export class AdminModule {}
