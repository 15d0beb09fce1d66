import { applyDecorators, createParamDecorator, type ExecutionContext, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiHeader, ApiParam, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CONSOLE_COOKIE } from '../../console/console-cookie';
import { JsonApi } from '../../json-api/json-api.decorators';
import { AdminKeyGuard, type AdminPrincipal, type AdminRequest } from './admin-key.guard';

export const ADMIN_KEY_SECURITY = 'adminKey';

/**
 * A controller of the admin API (`/api/v1/workspaces/:slug/…`), behind an admin key of that
 * workspace or a console session cookie of it (then state-changing requests carry X-CSRF-Token).
 */
export function AdminApi(tag: string): ClassDecorator {
  return applyDecorators(
    JsonApi(tag),
    UseGuards(AdminKeyGuard),
    ApiBearerAuth(ADMIN_KEY_SECURITY),
    ApiCookieAuth(CONSOLE_COOKIE),
    ApiParam({ name: 'slug', description: 'Workspace slug', example: 'acme' }),
    ApiHeader({ name: 'X-CSRF-Token', required: false, description: 'With the console cookie: the session’s csrfToken, required on POST, PUT, PATCH and DELETE' }),
    ApiUnauthorizedResponse({ description: 'Missing or invalid admin API key or console session for this workspace' }),
    ApiForbiddenResponse({ description: 'Console cookie without the right X-CSRF-Token, or with an Origin of another site (error csrf)' }),
  );
}

/** The admin the AdminKeyGuard established. */
export const Admin = createParamDecorator((_: unknown, context: ExecutionContext): AdminPrincipal => {
  const principal = context.switchToHttp().getRequest<AdminRequest>().adminPrincipal;
  if (!principal) throw new UnauthorizedException();
  return principal;
});
