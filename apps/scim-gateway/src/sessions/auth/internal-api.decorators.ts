import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { JsonApi } from '../../json-api/json-api.decorators';
import { ServiceKeyGuard } from './service-key.guard';

export const SERVICE_KEY_SECURITY = 'serviceKey';

/** A controller of the internal API (`/internal/v1/…`), for the SSO service only. */
export function InternalApi(tag: string): ClassDecorator {
  return applyDecorators(
    JsonApi(tag),
    UseGuards(ServiceKeyGuard),
    ApiBearerAuth(SERVICE_KEY_SECURITY),
    ApiUnauthorizedResponse({ description: 'Missing or invalid service key' }),
    ApiNotFoundResponse({ description: 'SESSION_SERVICE_KEY is not set: the session endpoints are disabled' }),
  );
}
