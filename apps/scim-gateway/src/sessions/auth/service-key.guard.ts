import { type CanActivate, type ExecutionContext, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpConfig } from '@axis/config';
import { APP_CONFIG } from '@axis/platform';
import type { FastifyRequest } from 'fastify';
import { bearerTokenOf } from '../../auth/scim-bearer.guard';

/**
 * The internal session endpoints answer only to `Authorization: Bearer <SESSION_SERVICE_KEY>`
 * (the SSO service); without the variable they do not exist (404).
 */
@Injectable()
export class ServiceKeyGuard implements CanActivate {
  private readonly digest: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: HttpConfig) {
    this.digest = config.SESSION_SERVICE_KEY ? sha256(config.SESSION_SERVICE_KEY) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.digest) throw new NotFoundException({ error: 'not_found', message: 'Session endpoints are disabled (SESSION_SERVICE_KEY is not set)' });
    const key = bearerTokenOf(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    if (!key || !timingSafeEqual(sha256(key), this.digest)) {
      throw new UnauthorizedException({ error: 'unauthorized', message: 'Missing or invalid service key' });
    }
    return true;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
