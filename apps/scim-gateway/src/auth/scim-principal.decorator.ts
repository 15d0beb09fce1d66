import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { scimErrors } from '@axis/scim';
import type { AuthenticatedRequest, ScimPrincipal } from './scim-bearer.guard';

/** The principal the ScimBearerGuard established; a route without the guard cannot get one. */
export const Principal = createParamDecorator((_: unknown, context: ExecutionContext): ScimPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().scimPrincipal;
  if (!principal) throw scimErrors.unauthorized();
  return principal;
});
