import { Global, Module } from '@nestjs/common';
import { AdminKeyUsage } from './admin-key-usage';
import { ConsoleSessions } from './console-sessions';
import { GetSessionRoute } from './get-session/get-session.route';
import { SignInRoute } from './sign-in/sign-in.route';
import { SignOutRoute } from './sign-out/sign-out.route';

/**
 * The admin console's sign-in (`/api/v1/console/…`): admin key → server-side session cookie. The
 * sessions are also what AdminKeyGuard accepts besides a bearer admin key. The console's static
 * files are served by `serve-console/` (plain Fastify routes, outside Nest).
 *
 * Global because Nest builds a guard named in `@UseGuards` inside each controller's own module:
 * every module with an admin-API controller needs AdminKeyGuard's dependencies.
 */
@Global()
@Module({
  controllers: [SignInRoute, GetSessionRoute, SignOutRoute],
  providers: [ConsoleSessions, AdminKeyUsage],
  exports: [ConsoleSessions, AdminKeyUsage],
})
export class ConsoleModule {}
