import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_CONFIG } from '@axis/platform';
import type { FastifyRequest } from 'fastify';
import { type AuthenticatedRequest, bearerTokenOf, tokenPrefixOf } from '../auth/scim-bearer.guard';
import { presentedPrefix } from '../auth/scim-token-verifier';
import { resolveWorkspaceEndpoint } from '../http/workspace-endpoint';
import type { GatewayConfig } from '../gateway.config';
import { dialectOf } from '../http/request-dialect';
import { UnreadableBody } from '../http/unreadable-body';
import { ScimRequestLog } from './scim-request-log';

const RESPONSE_TEXT = Symbol('axis.responseText');
const ERROR_CODE = Symbol('axis.scimErrorCode');
type LoggedRequest = AuthenticatedRequest & { [RESPONSE_TEXT]?: string | null; [ERROR_CODE]?: string };

/** The product error code (`SCIM_…`) a SCIM request was answered with, for its log row. */
export function markScimErrorCode(request: FastifyRequest, code: string): void {
  (request as LoggedRequest)[ERROR_CODE] = code;
}

/**
 * Feeds the request log: `onSend` keeps the serialised SCIM response, `onResponse` — after the
 * answer has left — hands the finished request to `ScimRequestLog`, which queues it. Only SCIM
 * requests of a workspace: authenticated ones, and refusals (401, 429) whose path or host names a
 * workspace (the log checks it exists before writing), because "test connection failed" is what
 * an IdP admin comes to debug. Not registered at all when `SCIM_REQUEST_LOG=false`.
 */
export function registerScimRequestLog(app: NestFastifyApplication): void {
  const log = app.get(ScimRequestLog);
  if (!log.enabled) return;
  const config = app.get<GatewayConfig>(APP_CONFIG);
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook('onSend', (request, _reply, payload, done) => {
    if (request.url.startsWith('/scim/v2')) {
      (request as LoggedRequest)[RESPONSE_TEXT] = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    }
    done(null, payload);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    done();
    if (!request.url.startsWith('/scim/v2')) return;
    const logged = request as LoggedRequest;
    const status = reply.statusCode;
    const principal = logged.scimPrincipal;
    let workspaceId: string;
    let tokenPrefix: string | null;
    if (principal) {
      workspaceId = principal.workspaceId;
      tokenPrefix = tokenPrefixOf(principal);
    } else if (status === 401 || status === 429) {
      const endpoint = resolveWorkspaceEndpoint(request, config);
      if (!endpoint) return;
      workspaceId = endpoint.workspaceId;
      const token = bearerTokenOf(request.headers.authorization);
      tokenPrefix = token ? presentedPrefix(token) : null;
    } else {
      return;
    }
    const body = request.body instanceof UnreadableBody ? undefined : request.body;
    const latencyMs = reply.elapsedTime;
    log.record(
      {
        workspaceId,
        requestId: String(request.id),
        at: new Date(Date.now() - latencyMs).toISOString(),
        method: request.method,
        url: request.originalUrl ?? request.url,
        status,
        errorCode: logged[ERROR_CODE] ?? null,
        dialect: dialectOf(request, body),
        latencyMs: Math.round(latencyMs),
        tokenPrefix,
        body,
        responseText: logged[RESPONSE_TEXT] ?? null,
      },
      !principal,
    );
  });
}
