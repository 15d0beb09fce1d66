import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { HttpConfig } from '@axis/config';
import { isSecretOfKind, secretDigest } from '@axis/credentials';
import { APP_CONFIG, READ_MODEL } from '@axis/platform';
import { type AdminKeyRecord, findAdminKeyByDigest } from '@axis/read-model';
import type { WriteContext } from '@axis/write';
import type { FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { bearerTokenOf } from '../../auth/scim-bearer.guard';
import { consoleCookieOf } from '../../console/console-cookie';
import { adminNameOf, ConsoleSessions } from '../../console/console-sessions';
import { csrfError, csrfRefusal } from '../../console/csrf';
import { AdminKeyUsage } from '../../console/admin-key-usage';

/** The admin an admin-API request was authenticated as. */
export interface AdminPrincipal {
  workspaceId: string;
  keyId: string;
  /** `admin:<keyPrefix>`: recorded on every event the admin causes. */
  actor: string;
  /** The key's description (which names the admin), else its prefix: shown, never recorded as the actor. */
  name: string;
}

export type AdminRequest = FastifyRequest & { adminPrincipal?: AdminPrincipal };

/**
 * `/api/v1/workspaces/:slug/…` accepts either credential of that very workspace:
 * - `Authorization: Bearer adm_…`: the key's SHA-256 must name a live admin key (scripts, curl);
 * - the admin console's session cookie, for a session of this workspace whose key is still live.
 *   State-changing methods also need the session's `X-CSRF-Token` and, when the browser sends
 *   one, an `Origin` of this service (403 `csrf`).
 * Every authentication failure is the same 401, so a caller learns nothing about which
 * workspaces exist. The read model is read on every request: a revoked key stops working (and
 * ends its console sessions) on the next request, on every gateway process.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: HttpConfig,
    private readonly consoleSessions: ConsoleSessions,
    private readonly usage: AdminKeyUsage,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const slug = (request.params as Record<string, string | undefined>)['slug'];
    const key = request.headers.authorization === undefined ? await this.keyOfConsoleSession(request, slug) : await this.keyOfBearer(request);
    if (!key || key.workspaceId !== slug) throw unauthorized();
    request.adminPrincipal = { workspaceId: key.workspaceId, keyId: key.id, actor: `admin:${key.prefix}`, name: adminNameOf(key) };
    this.usage.touch(key.id);
    return true;
  }

  private async keyOfBearer(request: AdminRequest): Promise<AdminKeyRecord | null> {
    const key = bearerTokenOf(request.headers.authorization);
    return key && isSecretOfKind(key, 'adm') ? findAdminKeyByDigest(this.readModel, secretDigest(key)) : null;
  }

  private async keyOfConsoleSession(request: AdminRequest, slug: string | undefined): Promise<AdminKeyRecord | null> {
    const active = await this.consoleSessions.resolve(consoleCookieOf(request));
    // A session of workspace A gets nothing from workspace B: a 401 before any CSRF check.
    if (!active || active.session.workspaceId !== slug) return null;
    const refusal = csrfRefusal(request, active.session.csrfToken, this.config.publicUrl());
    if (refusal) throw csrfError(refusal);
    return active.key;
  }
}

function unauthorized(): UnauthorizedException {
  return new UnauthorizedException({ error: 'unauthorized', message: 'Missing or invalid admin API key or console session for this workspace' });
}

/** The write context of an admin's request: every event it causes names the admin and, given one, the request. */
export function adminWriteContext(admin: AdminPrincipal, requestId?: string): WriteContext {
  return { workspaceId: admin.workspaceId, actor: admin.actor, dialect: 'admin', ...(requestId === undefined ? {} : { requestId }) };
}
