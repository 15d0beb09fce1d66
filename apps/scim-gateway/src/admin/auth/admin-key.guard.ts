import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { isSecretOfKind, secretDigest } from '@axis/credentials';
import { READ_MODEL } from '@axis/platform';
import { findAdminKeyByDigest } from '@axis/read-model';
import type { FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { bearerTokenOf } from '../../auth/scim-bearer.guard';

/** The admin an admin-API request was authenticated as. */
export interface AdminPrincipal {
  workspaceId: string;
  keyId: string;
  /** `admin:<keyPrefix>`: recorded on every event the admin causes. */
  actor: string;
}

export type AdminRequest = FastifyRequest & { adminPrincipal?: AdminPrincipal };

/**
 * `Authorization: Bearer adm_…` for `/api/v1/workspaces/:slug/…`: the key's SHA-256 must name a
 * live admin key of that very workspace. Every failure is the same 401, so a caller learns
 * nothing about which workspaces exist.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const key = bearerTokenOf(request.headers.authorization);
    const slug = (request.params as Record<string, string | undefined>)['slug'];
    const record = key && isSecretOfKind(key, 'adm') ? await findAdminKeyByDigest(this.readModel, secretDigest(key)) : null;
    if (!record || record.workspaceId !== slug) {
      throw new UnauthorizedException({ error: 'unauthorized', message: 'Missing or invalid admin API key for this workspace' });
    }
    request.adminPrincipal = { workspaceId: record.workspaceId, keyId: record.id, actor: `admin:${record.prefix}` };
    return true;
  }
}
