import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ConsistencyModule } from '../write/consistency.module';
import { ScimSettingsModule } from '../scim-settings/scim-settings.module';
import { CreateGroupHandler } from './create-group/create-group.handler';
import { CreateGroupRoute } from './create-group/create-group.route';
import { DeleteGroupHandler } from './delete-group/delete-group.handler';
import { DeleteGroupRoute } from './delete-group/delete-group.route';
import { GetGroupRoute } from './get-group/get-group.route';
import { GroupSearch } from './list-groups/group-search';
import { ListGroupsRoute } from './list-groups/list-groups.route';
import { PatchGroupHandler } from './patch-group/patch-group.handler';
import { PatchGroupRoute } from './patch-group/patch-group.route';
import { ReplaceGroupHandler } from './replace-group/replace-group.handler';
import { ReplaceGroupRoute } from './replace-group/replace-group.route';
import { MemberRolesRoute, RoleMappingsRoute } from './role-mappings/role-mappings.route';
import { SetRoleMappingHandler } from './role-mappings/set-role-mapping.handler';
import { SearchGroupsRoute } from './search-groups/search-groups.route';
import { GroupWriter } from './shared/change-group';
import { GroupDeciderRunner, RoleMappingDeciderRunner } from './shared/group-decider-runner';
import { GroupMemberDisplays } from './shared/group-member-displays';
import { GroupNameReservations } from './shared/group-name-reservations';
import { RoleMappingReadYourWrites } from '../consistency/group-read-your-writes';
import { MemberExistence } from './shared/member-existence';
import { GroupChangeResponse } from './shared/group-change-response';
import { StreamStateCache } from './shared/stream-state-cache';
import { UnsupportedGroupMethodsRoute } from './unsupported-methods.route';

/**
 * `/scim/v2/Groups` (one folder per operation) and the groups → roles admin API. Group writes keep
 * their own read-your-writes tracker and a cached, catch-up loader of group streams.
 */
@Module({
  imports: [CqrsModule, ConsistencyModule, ScimSettingsModule],
  controllers: [
    SearchGroupsRoute,
    CreateGroupRoute,
    ListGroupsRoute,
    GetGroupRoute,
    ReplaceGroupRoute,
    PatchGroupRoute,
    DeleteGroupRoute,
    UnsupportedGroupMethodsRoute,
    RoleMappingsRoute,
    MemberRolesRoute,
  ],
  providers: [
    GroupChangeResponse,
    StreamStateCache,
    RoleMappingReadYourWrites,
    GroupMemberDisplays,
    GroupDeciderRunner,
    RoleMappingDeciderRunner,
    GroupNameReservations,
    MemberExistence,
    GroupWriter,
    GroupSearch,
    CreateGroupHandler,
    PatchGroupHandler,
    ReplaceGroupHandler,
    DeleteGroupHandler,
    SetRoleMappingHandler,
  ],
  exports: [GroupSearch],
})
export class GroupsModule {}
