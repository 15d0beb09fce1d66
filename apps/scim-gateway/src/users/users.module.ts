import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ConsistencyModule } from '../consistency/consistency.module';
import { CreateUserHandler } from './create-user/create-user.handler';
import { CreateUserRoute } from './create-user/create-user.route';
import { ListUsersRoute } from './list-users/list-users.route';

/** `/scim/v2/Users`: one folder per operation (route, normaliser, command, handler). */
@Module({
  imports: [CqrsModule, ConsistencyModule],
  controllers: [CreateUserRoute, ListUsersRoute],
  providers: [CreateUserHandler],
})
export class UsersModule {}
