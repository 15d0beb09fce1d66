import { Module } from '@nestjs/common';
import { ConsistencyModule } from '../write/consistency.module';
import { ServiceKeyGuard } from './auth/service-key.guard';
import { CreateSessionRoute } from './create-session/create-session.route';
import { IntrospectSessionRoute } from './introspect-session/introspect-session.route';
import { ListMemberSessionsRoute } from './list-member-sessions/list-member-sessions.route';

/** Internal session endpoints for the SSO service (`/internal/v1/…`, SESSION_SERVICE_KEY). */
@Module({
  imports: [ConsistencyModule],
  controllers: [CreateSessionRoute, IntrospectSessionRoute, ListMemberSessionsRoute],
  providers: [ServiceKeyGuard],
})
export class SessionsModule {}
