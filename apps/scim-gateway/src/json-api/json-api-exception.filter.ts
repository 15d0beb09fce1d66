import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { CustomAttributeRuleViolation, UserRuleViolation, WorkspaceRuleViolation } from '@axis/domain';
import { LOGGER, type Logger } from '@axis/platform';
import { ScimError } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { scimErrorOfDatabaseFailure } from '../http/database-errors';

/** The error body of the admin and internal APIs (SCIM routes keep SCIM error bodies). */
export interface JsonApiErrorBody {
  statusCode: number;
  /** Stable, machine-readable: `invalid_request`, `unauthorized`, `not_found` … */
  error: string;
  message: string;
  /** One line per rejected field, for a 400 from validation. */
  details?: string[];
}

const WORKSPACE_RULE_STATUS: Record<WorkspaceRuleViolation['rule'], [number, string]> = {
  'already-exists': [409, 'conflict'],
  'credential-revoked': [409, 'conflict'],
  'invalid-slug': [400, 'invalid_request'],
  'not-found': [404, 'not_found'],
  'token-not-found': [404, 'not_found'],
  'admin-key-not-found': [404, 'not_found'],
  'last-admin-key': [409, 'last_admin_key'],
};

const CUSTOM_ATTRIBUTE_RULE_STATUS: Record<CustomAttributeRuleViolation['rule'], [number, string]> = {
  invalid: [400, 'invalid_request'],
  exists: [409, 'conflict'],
  deprecated: [409, 'conflict'],
  'too-many': [409, 'conflict'],
  'not-found': [404, 'not_found'],
};

/**
 * JSON errors for the admin and internal APIs: validation failures name every rejected field,
 * domain rule violations map to 404/409, anything unexpected is a logged 500 without details.
 */
@Catch()
export class JsonApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = toJsonApiError(exception);
    if (body.statusCode >= 500 && body.statusCode !== 503) this.logger.error({ requestId: request.id, err: exception }, 'unexpected error in the admin API');
    const retryAfter = scimErrorOfDatabaseFailure(exception)?.retryAfterSeconds;
    if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
    void reply.status(body.statusCode).header('Content-Type', 'application/json; charset=utf-8').send(body);
  }
}

export function toJsonApiError(exception: unknown): JsonApiErrorBody {
  const database = scimErrorOfDatabaseFailure(exception);
  if (database) return { statusCode: database.status, error: database.code.replace(/^SCIM_/, '').toLowerCase(), message: database.detail };
  if (exception instanceof WorkspaceRuleViolation) {
    const [statusCode, error] = WORKSPACE_RULE_STATUS[exception.rule];
    return { statusCode, error, message: exception.message };
  }
  if (exception instanceof CustomAttributeRuleViolation) {
    const [statusCode, error] = CUSTOM_ATTRIBUTE_RULE_STATUS[exception.rule];
    return { statusCode, error, message: exception.message };
  }
  if (exception instanceof ScimError) {
    return { statusCode: exception.status, error: exception.code.replace(/^SCIM_/, '').toLowerCase(), message: exception.detail };
  }
  if (exception instanceof UserRuleViolation) {
    return exception.rule === 'not-found'
      ? { statusCode: 404, error: 'not_found', message: exception.message }
      : { statusCode: 409, error: 'conflict', message: exception.message };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const fields = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    if (Array.isArray(fields['message'])) {
      const details = fields['message'].map(String);
      return { statusCode, error: 'invalid_request', message: `Invalid request: ${details.join('; ')}`, details };
    }
    const message = typeof fields['message'] === 'string' ? fields['message'] : exception.message;
    const error = typeof fields['error'] === 'string' && /^[a-z_]+$/.test(fields['error']) ? fields['error'] : errorCodeOf(statusCode);
    return { statusCode, error, message };
  }
  switch ((exception as { code?: unknown } | null)?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { statusCode: 413, error: 'payload_too_large', message: 'Request body exceeds the size limit' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { statusCode: 415, error: 'unsupported_media_type', message: 'Send application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { statusCode: 400, error: 'invalid_request', message: 'Request body is empty or malformed' };
  }
  if (exception instanceof SyntaxError) return { statusCode: 400, error: 'invalid_request', message: 'Request body is not valid JSON' };
  return { statusCode: 500, error: 'internal', message: 'Internal error' };
}

function errorCodeOf(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    default:
      return status >= 500 ? 'internal' : 'invalid_request';
  }
}
