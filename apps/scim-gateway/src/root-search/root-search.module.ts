import { Module } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { UsersModule } from '../users/users.module';
import { RootSearch } from './root-search';
import { RootSearchRoute } from './root-search.route';

/** `POST /scim/v2/.search`: the searches of the Users and Groups modules, paged as one list. */
@Module({
  imports: [UsersModule, GroupsModule],
  controllers: [RootSearchRoute],
  providers: [RootSearch],
})
export class RootSearchModule {}
