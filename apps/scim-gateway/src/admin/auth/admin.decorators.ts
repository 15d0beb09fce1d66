import { applyDecorators, createParamDecorator, type ExecutionContext, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { JsonApi } from '../../json-api/json-api.decorators';
import { AdminKeyGuard, type AdminPrincipal, type AdminRequest } from './admin-key.guard';

export const ADMIN_KEY_SECURITY = 'adminKey';

/** A controller of the admin API (`/api/v1/workspaces/:slug/…`), behind an admin key of that workspace. */
export function AdminApi(tag: string): ClassDecorator {
  return applyDecorators(
    JsonApi(tag),
    UseGuards(AdminKeyGuard),
    ApiBearerAuth(ADMIN_KEY_SECURITY),
    ApiParam({ name: 'slug', description: 'Workspace slug', example: 'acme' }),
    ApiUnauthorizedResponse({ description: 'Missing or invalid admin API key for this workspace' }),
  );
}

/** The admin the AdminKeyGuard established. */
export const Admin = createParamDecorator((_: unknown, context: ExecutionContext): AdminPrincipal => {
  const principal = context.switchToHttp().getRequest<AdminRequest>().adminPrincipal;
  if (!principal) throw new UnauthorizedException();
  return principal;
});
