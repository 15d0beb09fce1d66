import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ConsistencyModule } from '../write/consistency.module';
import { CustomAttributesModule } from '../custom-attributes/custom-attributes.module';
import { ScimSettingsModule } from '../scim-settings/scim-settings.module';
import { CreateUserHandler } from './create-user/create-user.handler';
import { CreateUserRoute } from './create-user/create-user.route';
import { DeleteUserHandler } from './delete-user/delete-user.handler';
import { DeleteUserRoute } from './delete-user/delete-user.route';
import { GetUserRoute } from './get-user/get-user.route';
import { ListUsersRoute } from './list-users/list-users.route';
import { UserSearch } from './list-users/user-search';
import { WriteSideLookup } from './list-users/write-side-lookup';
import { PatchUserHandler } from './patch-user/patch-user.handler';
import { PatchUserRoute } from './patch-user/patch-user.route';
import { UserChangeResponse } from './shared/user-change-response';
import { ReplaceUserHandler } from './replace-user/replace-user.handler';
import { ReplaceUserRoute } from './replace-user/replace-user.route';
import { SearchUsersRoute } from './search-users/search-users.route';
import { UserKeyReservations } from './shared/user-key-reservations';
import { UnsupportedUserMethodsRoute } from './unsupported-methods.route';

/** `/scim/v2/Users`: one folder per operation (route, normaliser, command, handler). */
@Module({
  imports: [CqrsModule, ConsistencyModule, CustomAttributesModule, ScimSettingsModule],
  controllers: [
    SearchUsersRoute,
    CreateUserRoute,
    ListUsersRoute,
    GetUserRoute,
    ReplaceUserRoute,
    PatchUserRoute,
    DeleteUserRoute,
    UnsupportedUserMethodsRoute,
  ],
  providers: [UserSearch, WriteSideLookup, UserChangeResponse, UserKeyReservations, CreateUserHandler, ReplaceUserHandler, PatchUserHandler, DeleteUserHandler],
  exports: [UserKeyReservations, UserSearch],
})
export class UsersModule {}
