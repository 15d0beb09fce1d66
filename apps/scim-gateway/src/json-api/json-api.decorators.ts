import { applyDecorators, UseFilters, UsePipes, ValidationPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiTags } from '@nestjs/swagger';
import { JsonApiExceptionFilter } from './json-api-exception.filter';

/**
 * Request DTOs of the admin and internal APIs are validated strictly: unknown fields are a 400
 * naming them, values are converted only where a DTO says so. Applied per controller, never
 * globally, because SCIM routes must accept what IdPs send (lenient ingress).
 */
export const jsonApiValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
});

/** A controller of the JSON APIs: strict validation, JSON error bodies, an OpenAPI tag. */
export function JsonApi(tag: string): ClassDecorator {
  return applyDecorators(
    UsePipes(jsonApiValidationPipe),
    UseFilters(JsonApiExceptionFilter),
    ApiTags(tag),
    ApiBadRequestResponse({ description: 'Invalid request: the message names every rejected field' }),
  );
}
