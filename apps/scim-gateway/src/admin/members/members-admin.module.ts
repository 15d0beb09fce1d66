import { Module } from '@nestjs/common';
import { ConsistencyModule } from '../../write/consistency.module';
import { ScimSettingsModule } from '../../scim-settings/scim-settings.module';
import { UsersModule } from '../../users/users.module';
import { AdminModule } from '../admin.module';
import { ScimSettingsRoute } from '../scim-settings/scim-settings.route';
import { GetScimConnectionRoute } from '../scim-connection/get-scim-connection.route';
import { ApproveMergeRoute } from './approve-merge/approve-merge.route';
import { CreateLocalMemberRoute } from './create-local-member/create-local-member.route';
import { GetMemberRoute } from './get-member/get-member.route';
import { ListDuplicatesRoute } from './list-duplicates/list-duplicates.route';
import { MemberHistoryRoute } from './member-history/member-history.route';

/** Settings → Members (local accounts, a member, its history, duplicates, merge) and Settings → Identity → SCIM (settings, connection panel). */
@Module({
  imports: [ConsistencyModule, UsersModule, AdminModule, ScimSettingsModule],
  controllers: [CreateLocalMemberRoute, ApproveMergeRoute, ScimSettingsRoute, GetMemberRoute, MemberHistoryRoute, ListDuplicatesRoute, GetScimConnectionRoute],
})
export class MembersAdminModule {}
