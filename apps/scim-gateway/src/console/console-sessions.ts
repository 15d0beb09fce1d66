import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { HttpConfig } from '@axis/config';
import { generateConsoleSessionSecret, isSecretOfKind, secretDigest } from '@axis/credentials';
import { APP_CONFIG, LOGGER, type Logger, READ_MODEL } from '@axis/platform';
import {
  type AdminKeyRecord,
  type ConsoleSessionRecord,
  deleteEndedConsoleSessions,
  findAdminKeyByDigest,
  findConsoleSessionByDigest,
  insertConsoleSession,
  revokeConsoleSession,
  touchConsoleSession,
} from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { ConsoleSessionView } from './console-session.views';

/** A live console session and the live admin key behind it. */
export interface ActiveConsoleSession {
  session: ConsoleSessionRecord;
  key: AdminKeyRecord;
}

const MINUTE_MS = 60_000;
/** How often a process deletes sessions past their absolute expiry (at a sign-in). */
const SWEEP_EVERY_MS = 60 * MINUTE_MS;
const TOUCHED_LIMIT = 10_000;

export const unauthorizedConsole = (): UnauthorizedException =>
  new UnauthorizedException({ error: 'unauthorized', message: 'Not signed in to this workspace, or the session has ended' });

/** The admin's display name: the key's description names the admin; a key without one shows its prefix. */
export function adminNameOf(key: Pick<AdminKeyRecord, 'description' | 'prefix'>): string {
  return key.description?.trim() ? key.description : key.prefix;
}

/**
 * Console sign-in sessions, kept server-side in the read-model database (`console_sessions`, the
 * cookie secret's SHA-256 only) so every gateway process serves them. A session ends at sign-out,
 * after CONSOLE_SESSION_IDLE_MINUTES without a request, CONSOLE_SESSION_MAX_HOURS after sign-in,
 * or on the first request after its admin key was revoked.
 */
@Injectable()
export class ConsoleSessions {
  /** When this process last moved a session's `last_seen_at`: at most once a minute each. */
  private readonly touchedAt = new Map<string, number>();
  private sweptAt = 0;

  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) private readonly config: HttpConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Exchanges an admin key for a session; every failure is the same 401. */
  async signIn(workspace: string, adminKey: string): Promise<{ secret: string; active: ActiveConsoleSession }> {
    const key = isSecretOfKind(adminKey, 'adm') ? await findAdminKeyByDigest(this.readModel, secretDigest(adminKey)) : null;
    if (!key || key.workspaceId !== workspace) {
      throw new UnauthorizedException({ error: 'unauthorized', message: 'Wrong admin key or workspace' });
    }
    const secret = generateConsoleSessionSecret();
    const now = Date.now();
    const session: Omit<ConsoleSessionRecord, 'revokedAt'> = {
      id: randomUUID(),
      workspaceId: key.workspaceId,
      adminKeyId: key.id,
      secretSha256: secretDigest(secret),
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: new Date(now).toISOString(),
      lastSeenAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.config.CONSOLE_SESSION_MAX_HOURS * 60 * MINUTE_MS).toISOString(),
    };
    await insertConsoleSession(this.readModel, session);
    this.touchedAt.set(session.id, now);
    this.sweep(now);
    return { secret, active: { session: { ...session, revokedAt: null }, key } };
  }

  /** The live session a cookie secret opens, or null (unknown, signed out, expired, key revoked). */
  async resolve(secret: string | null): Promise<ActiveConsoleSession | null> {
    if (!secret || !isSecretOfKind(secret, 'con')) return null;
    const found = await findConsoleSessionByDigest(this.readModel, secretDigest(secret));
    if (!found) return null;
    const { session, key } = found;
    const now = Date.now();
    if (!key || key.revokedAt !== null) {
      // The key was revoked: its sessions end now, on every gateway process.
      await this.end(session.id, now);
      return null;
    }
    if (now >= this.expiryOf(session)) {
      await this.end(session.id, now);
      return null;
    }
    this.touch(session, now);
    return { session, key };
  }

  async signOut(sessionId: string): Promise<void> {
    await this.end(sessionId, Date.now());
  }

  view(active: ActiveConsoleSession): ConsoleSessionView {
    return {
      workspace: active.session.workspaceId,
      admin: { keyId: active.key.id, keyPrefix: active.key.prefix, name: adminNameOf(active.key) },
      csrfToken: active.session.csrfToken,
      expiresAt: new Date(this.expiryOf(active.session)).toISOString(),
    };
  }

  /** The idle expiry (from the last request this process or another recorded), capped by the absolute one. */
  private expiryOf(session: ConsoleSessionRecord): number {
    const seen = Math.max(Date.parse(session.lastSeenAt), this.touchedAt.get(session.id) ?? 0);
    return Math.min(seen + this.config.CONSOLE_SESSION_IDLE_MINUTES * MINUTE_MS, Date.parse(session.expiresAt));
  }

  private async end(sessionId: string, now: number): Promise<void> {
    this.touchedAt.delete(sessionId);
    await revokeConsoleSession(this.readModel, sessionId, new Date(now).toISOString());
  }

  /** Keeps the table small: ended sessions are of no use once past their absolute expiry. */
  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    deleteEndedConsoleSessions(this.readModel, new Date(now).toISOString()).catch((error: unknown) => {
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not delete ended console sessions');
    });
  }

  private touch(session: ConsoleSessionRecord, now: number): void {
    if (now - Math.max(Date.parse(session.lastSeenAt), this.touchedAt.get(session.id) ?? 0) < MINUTE_MS) return;
    if (this.touchedAt.size >= TOUCHED_LIMIT) this.touchedAt.clear();
    this.touchedAt.set(session.id, now);
    touchConsoleSession(this.readModel, session.id, new Date(now).toISOString()).catch((error: unknown) => {
      this.logger.warn({ sessionId: session.id, error: error instanceof Error ? error.message : String(error) }, 'could not record console session use');
    });
  }
}
