import { Inject, Injectable } from '@nestjs/common';
import type { HttpConfig } from '@axis/config';
import { isSecretOfKind, secretDigest, secretPrefix } from '@axis/credentials';
import { APP_CONFIG, LOGGER, type Logger, READ_MODEL } from '@axis/platform';
import { findScimTokenByDigest, recordScimTokenUse } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { FreshReads } from '../consistency/fresh-reads';

/** What the read model knows about a presented token. */
export interface KnownScimToken {
  tokenId: string;
  workspaceId: string;
  prefix: string;
  revoked: boolean;
}

const CACHE_LIMIT = 10_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Looks SCIM tokens up in the read model by SHA-256 (`scim_tokens`, built by the projector).
 * On the embedded SQLite deployment (one process) found tokens are trusted for SCIM_TOKEN_CACHE_MS
 * (1 s by default); a revocation clears the cache at once. On a PostgreSQL read model, where
 * gateway replicas share the database, every request is answered by a lookup that started after it
 * arrived (an index read, shared by the requests with that token waiting at once: `FreshReads`): a
 * revocation answered by one replica must hold at every other at once, and no replica can clear
 * another's memory. Unknown tokens are never cached: a token issued a moment ago must work.
 * Also records last use, at most once a minute per token.
 */
@Injectable()
export class ScimTokenVerifier {
  private readonly cache = new Map<string, { token: KnownScimToken; until: number }>();
  private readonly touchedAt = new Map<string, number>();
  private readonly cacheMs: number;
  /** PostgreSQL: concurrent requests with one token share lookups, none older than the request. */
  private readonly freshLookups: FreshReads<Awaited<ReturnType<typeof findScimTokenByDigest>>>;

  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(APP_CONFIG) config: HttpConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.cacheMs = readModel.options.type === 'postgres' ? 0 : config.SCIM_TOKEN_CACHE_MS;
    this.freshLookups = new FreshReads((digest) => findScimTokenByDigest(readModel, digest));
  }

  async lookup(token: string): Promise<KnownScimToken | null> {
    const digest = secretDigest(token);
    const now = Date.now();
    const cached = this.cache.get(digest);
    if (cached && cached.until > now) return cached.token;
    const record = await this.freshLookups.get(digest);
    if (!record) {
      this.cache.delete(digest);
      return null;
    }
    const known = { tokenId: record.id, workspaceId: record.workspaceId, prefix: record.prefix, revoked: record.revokedAt !== null };
    if (this.cacheMs > 0) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(digest, { token: known, until: now + this.cacheMs });
    }
    return known;
  }

  /** Called after this process revoked a token: its next request is looked up afresh. */
  forget(): void {
    this.cache.clear();
  }

  /** Records that a token was used, at most once a minute per token and process; never fails the request. */
  touch(tokenId: string): void {
    const now = Date.now();
    if (now - (this.touchedAt.get(tokenId) ?? 0) < TOUCH_EVERY_MS) return;
    if (this.touchedAt.size >= CACHE_LIMIT) this.touchedAt.clear();
    this.touchedAt.set(tokenId, now);
    recordScimTokenUse(this.readModel, tokenId, new Date(now).toISOString()).catch((error: unknown) => {
      this.logger.warn({ tokenId, error: error instanceof Error ? error.message : String(error) }, 'could not record SCIM token use');
    });
  }
}

/** The prefix to show for a presented token, if it has our shape; never more of it. */
export function presentedPrefix(token: string): string | null {
  return isSecretOfKind(token, 'scim') ? secretPrefix(token) : null;
}
