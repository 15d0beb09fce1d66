import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { LOGGER, type Logger } from '@axis/platform';
import { isRecordedRequestRejection, UserRuleViolation } from '@axis/domain';
import { ERROR_CODE_HEADER, isScimError, ScimError, scimErrors } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticatedRequest, requestFacts, tokenPrefixOf } from '../auth/scim-bearer.guard';
import { toJsonApiError } from '../json-api/json-api-exception.filter';
import { RejectionRecorder } from '../rejections/rejection-recorder';
import { markScimErrorCode } from '../request-log/scim-request-log.hooks';
import { scimErrorOfDatabaseFailure } from '../http/database-errors';
import { dialectOf } from '../http/request-dialect';
import { SCIM_CONTENT_TYPE } from '../http/scim-content-type';


/** The admin API and the internal endpoints answer in plain JSON, not SCIM error bodies. */
const JSON_API_PATH = /^\/(api|internal)\//;

/**
 * Every failure leaves as a SCIM error body with the right status: our ScimErrors, Nest's HTTP
 * exceptions (unknown route, wrong method), Fastify's body errors, and anything unexpected (a
 * logged 500 with no stack trace in the response).
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rejections: RejectionRecorder,
  ) {}

  /**
   * What an authenticated IdP asked for and was refused (a bad filter, SCIM 1.1 schemas, a
   * conflict …) goes to the Security Console, so an admin can see why a user did not land.
   * Unauthenticated and rate-limited requests are recorded by the guard; 404s are lookups, not
   * mistakes.
   */
  private recordRejection(error: ScimError, request: AuthenticatedRequest): void {
    const principal = request.scimPrincipal;
    if (!principal || error.status < 400 || error.status >= 500 || error.status === 404 || !isRecordedRequestRejection(error.code)) return;
    this.rejections.record(
      {
        type: error.code,
        data: {
          ...requestFacts(request, principal.workspaceId, tokenPrefixOf(principal)),
          status: error.status,
          scimType: error.scimType ?? null,
          detail: error.detail,
        },
      },
      { actor: principal.actor, requestId: String(request.id), dialect: dialectOf(request, request.body) },
    );
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<AuthenticatedRequest>();
    if (JSON_API_PATH.test(request.url)) {
      // Fastify rejects bad admin/internal bodies before those routes' own filter can answer.
      const body = toJsonApiError(exception);
      if (body.statusCode >= 500 && body.statusCode !== 503) this.logger.error({ requestId: request.id, err: exception }, 'unexpected error while handling a request');
      const retryAfter = scimErrorOfDatabaseFailure(exception)?.retryAfterSeconds;
      if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
      void reply.status(body.statusCode).header('Content-Type', 'application/json; charset=utf-8').send(body);
      return;
    }
    const error = this.toScimError(exception, request);
    markScimErrorCode(request, error.code);
    this.recordRejection(error, request);
    if (error.code === 'SCIM_READ_TIMEOUT') {
      this.logger.warn({ requestId: request.id, err: exception }, 'a read ran past SCIM_READ_TIMEOUT_MS and was cancelled');
    } else if (error.status >= 500) {
      this.logger.error({ requestId: request.id, err: exception }, 'unexpected error while handling a request');
    }
    if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
    if (error.status === 401) reply.header('WWW-Authenticate', bearerChallenge(request));
    void reply.status(error.status).header('Content-Type', SCIM_CONTENT_TYPE).header(ERROR_CODE_HEADER, error.code).send(error.toBody());
  }

  private toScimError(exception: unknown, request: FastifyRequest): ScimError {
    if (isScimError(exception)) return exception;
    if (exception instanceof UserRuleViolation) {
      return exception.rule === 'not-found' ? scimErrors.notFound(exception.message) : scimErrors.userConflict(exception.message);
    }
    const database = scimErrorOfDatabaseFailure(exception);
    if (database) return database;
    const fastifyCode = (exception as { code?: unknown })?.code;
    switch (fastifyCode) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return scimErrors.payloadTooLarge('Request body exceeds the size limit');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return new ScimError({
          status: 415,
          code: 'SCIM_INVALID_SYNTAX',
          scimType: 'invalidSyntax',
          detail: `Unsupported content type; send ${SCIM_CONTENT_TYPE}`,
        });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return scimErrors.invalidSyntax('Request body is empty or malformed');
    }
    if (exception instanceof SyntaxError) return scimErrors.invalidSyntax('Request body is not valid JSON');
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return scimErrors.notFound(`No resource at ${request.method} ${request.url.split('?')[0]}`);
      if (status === 405) return scimErrors.methodNotAllowed(`${request.method} is not supported here`);
      if (status === 413) return scimErrors.payloadTooLarge('Request body exceeds the size limit');
      if (status < 500) return new ScimError({ status, code: 'SCIM_INVALID_VALUE', detail: exception.message });
    }
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return scimErrors.invalidSyntax('Malformed request');
    }
    return scimErrors.internal();
  }
}

/** RFC 6750 §3: the challenge of a 401; `invalid_token` when a token was sent and refused. */
function bearerChallenge(request: FastifyRequest): string {
  const realm = 'Bearer realm="AxisSynapse SCIM"';
  return request.headers.authorization ? `${realm}, error="invalid_token"` : realm;
}
