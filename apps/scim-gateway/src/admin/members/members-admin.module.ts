import { Module } from '@nestjs/common';
import { ConsistencyModule } from '../../consistency/consistency.module';
import { UsersModule } from '../../users/users.module';
import { AdminModule } from '../admin.module';
import { ScimSettingsRoute } from '../scim-settings/scim-settings.route';
import { ApproveMergeRoute } from './approve-merge/approve-merge.route';
import { CreateLocalMemberRoute } from './create-local-member/create-local-member.route';

/** Settings → Members (local accounts, merge) and Settings → Identity → SCIM settings. */
@Module({
  imports: [ConsistencyModule, UsersModule, AdminModule],
  controllers: [CreateLocalMemberRoute, ApproveMergeRoute, ScimSettingsRoute],
})
export class MembersAdminModule {}
