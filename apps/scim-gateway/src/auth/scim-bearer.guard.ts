import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { UnauthorizedReason } from '@axis/domain';
import { APP_CONFIG, metrics } from '@axis/platform';
import { scimErrors } from '@axis/scim';
import type { FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../gateway.config';
import { dialectOf } from '../http/request-dialect';
import { WorkspaceRateLimiter } from '../rate-limit/workspace-rate-limiter';
import { RejectionRecorder } from '../rejections/rejection-recorder';
import { presentedPrefix, ScimTokenVerifier } from './scim-token-verifier';
import { resolveWorkspaceEndpoint, type WorkspaceEndpoint } from '../http/workspace-endpoint';

/** The workspace and token a SCIM request was authenticated as. */
export interface ScimPrincipal {
  workspaceId: string;
  /** Audit actor: `token:<prefix>` (`token:config` for SCIM_BEARER_TOKEN), never the token itself. */
  actor: string;
  /** The issued token's id; null for the configured fallback token. */
  tokenId: string | null;
  /** How the request named its workspace: answers (`meta.location`) use the same form. */
  endpoint: WorkspaceEndpoint;
}

export type AuthenticatedRequest = FastifyRequest & { scimPrincipal?: ScimPrincipal };

/**
 * Guards every SCIM route: resolves the workspace the request addresses (host, path or the
 * default), authenticates `Authorization: Bearer <token>` against that workspace's issued tokens
 * (or SCIM_BEARER_TOKEN, for the default workspace only), then applies the workspace's rate
 * limit. A missing, unknown, revoked or other workspace's token is a 401; over the limit a 429
 * with Retry-After. Refusals are recorded (throttled) for the Security Console.
 */
@Injectable()
export class ScimBearerGuard implements CanActivate {
  private readonly configDigest: Buffer | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly tokens: ScimTokenVerifier,
    private readonly rateLimiter: WorkspaceRateLimiter,
    private readonly rejections: RejectionRecorder,
  ) {
    this.configDigest = config.SCIM_BEARER_TOKEN ? sha256(config.SCIM_BEARER_TOKEN) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const endpoint = resolveWorkspaceEndpoint(request, this.config);
    // Names no workspace that can exist: nothing to record it against.
    if (!endpoint) throw scimErrors.unauthorized();
    const principal = await this.authenticate(request, endpoint);
    const admission = await this.rateLimiter.admit(principal.workspaceId);
    if (!admission.allowed) {
      const { perSecond, burst } = this.rateLimiter.limits;
      this.rejections.record(
        {
          type: 'SCIM_RATE_LIMITED',
          data: {
            ...requestFacts(request, principal.workspaceId, tokenPrefixOf(principal)),
            limitPerSecond: perSecond,
            burst,
            retryAfterSeconds: admission.retryAfterSeconds,
          },
        },
        { actor: principal.actor, requestId: String(request.id), dialect: dialectOf(request, request.body) },
      );
      metrics.scimRateLimitedTotal.inc({ workspace: principal.workspaceId });
      throw scimErrors.rateLimited(admission.retryAfterSeconds);
    }
    request.scimPrincipal = principal;
    if (principal.tokenId) this.tokens.touch(principal.tokenId);
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, endpoint: WorkspaceEndpoint): Promise<ScimPrincipal> {
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) return this.refuse(request, endpoint.workspaceId, 'missing-token', null);
    if (this.configDigest && endpoint.workspaceId === this.config.DEFAULT_WORKSPACE && timingSafeEqual(sha256(token), this.configDigest)) {
      return { workspaceId: endpoint.workspaceId, actor: 'token:config', tokenId: null, endpoint };
    }
    const known = await this.tokens.lookup(token);
    if (!known) return this.refuse(request, endpoint.workspaceId, 'unknown-token', presentedPrefix(token));
    if (known.revoked) return this.refuse(request, endpoint.workspaceId, 'revoked-token', known.prefix);
    if (known.workspaceId !== endpoint.workspaceId) {
      // The owner learns where its token was presented; the addressed workspace only that some token was.
      this.recordUnauthorized(request, known.workspaceId, 'wrong-workspace', known.prefix);
      return this.refuse(request, endpoint.workspaceId, 'wrong-workspace', null);
    }
    return { workspaceId: known.workspaceId, actor: `token:${known.prefix}`, tokenId: known.tokenId, endpoint };
  }

  private refuse(request: AuthenticatedRequest, workspaceId: string, reason: UnauthorizedReason, tokenPrefix: string | null): never {
    this.recordUnauthorized(request, workspaceId, reason, tokenPrefix);
    throw scimErrors.unauthorized();
  }

  private recordUnauthorized(request: AuthenticatedRequest, workspaceId: string, reason: UnauthorizedReason, tokenPrefix: string | null): void {
    this.rejections.record(
      { type: 'SCIM_UNAUTHORIZED', data: { ...requestFacts(request, workspaceId, tokenPrefix), reason } },
      { actor: tokenPrefix ? `token:${tokenPrefix}` : 'anonymous', requestId: String(request.id), dialect: dialectOf(request, request.body) },
    );
  }
}

export function bearerTokenOf(header: string | undefined): string | null {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/** The visible prefix of the principal's issued token; null for the configured fallback token. */
export function tokenPrefixOf(principal: ScimPrincipal): string | null {
  return principal.tokenId ? principal.actor.slice('token:'.length) : null;
}

export function requestFacts(request: FastifyRequest, workspaceId: string, tokenPrefix: string | null) {
  return {
    workspaceId,
    method: request.method,
    path: (request.originalUrl ?? request.url).split('?')[0]!,
    tokenPrefix,
    sourceIp: request.ip ?? null,
    suppressed: 0,
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
