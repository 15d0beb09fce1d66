import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG } from '@axis/platform';
import { scimErrors } from '@axis/scim';
import type { FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../gateway.config';

/** The workspace and token a SCIM request was authenticated as. */
export interface ScimPrincipal {
  workspaceId: string;
  /** Audit actor: never the token itself. */
  actor: string;
}

export type AuthenticatedRequest = FastifyRequest & { scimPrincipal?: ScimPrincipal };

/**
 * Guards every SCIM route. Until workspace tokens are issued, the one token from configuration
 * (SCIM_BEARER_TOKEN) authenticates the default workspace; without it nothing is reachable.
 */
@Injectable()
export class ScimBearerGuard implements CanActivate {
  private readonly expectedDigest: Buffer | null;

  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {
    this.expectedDigest = config.SCIM_BEARER_TOKEN ? sha256(config.SCIM_BEARER_TOKEN) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (!token || !this.expectedDigest || !timingSafeEqual(sha256(token), this.expectedDigest)) {
      throw scimErrors.unauthorized();
    }
    request.scimPrincipal = { workspaceId: this.config.DEFAULT_WORKSPACE, actor: `token:${token.slice(0, 9)}` };
    return true;
  }
}

export function bearerTokenOf(header: string | undefined): string | null {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
