import { Inject, Injectable } from '@nestjs/common';
import type { HttpConfig } from '@axis/config';
import { APP_CONFIG, LOGGER, type Logger, READ_MODEL } from '@axis/platform';
import { takeRateTokens } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { LeasedTokenBucketLimiter } from './leased-token-bucket';
import { type Admission, TokenBucketLimiter } from './token-bucket';

const OUTAGE_WARNING_EVERY_MS = 60_000;

/**
 * The per-workspace SCIM quota (SCIM_RATE_LIMIT_PER_SECOND sustained, SCIM_RATE_LIMIT_BURST at
 * once; a rate of 0 turns it off).
 *
 * On a PostgreSQL read model the quota is one bucket per workspace in the database, shared by
 * every gateway replica through local leases (`LeasedTokenBucketLimiter`): it holds for the
 * deployment whatever the number of replicas. Should the database not answer, each process falls
 * back to its own in-process bucket of the same size until it does, rather than refuse everything
 * or admit everything. The embedded SQLite deployment is one process: the in-process bucket is the
 * whole quota.
 */
@Injectable()
export class WorkspaceRateLimiter {
  private readonly local: TokenBucketLimiter | null;
  private readonly shared: LeasedTokenBucketLimiter | null;
  private lastOutageWarning = -Infinity;

  constructor(
    @Inject(APP_CONFIG) config: HttpConfig,
    @Inject(READ_MODEL) readModel: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const perSecond = config.SCIM_RATE_LIMIT_PER_SECOND;
    const burst = config.SCIM_RATE_LIMIT_BURST;
    this.local = perSecond > 0 ? new TokenBucketLimiter(perSecond, burst) : null;
    this.shared =
      perSecond > 0 && readModel.options.type === 'postgres'
        ? new LeasedTokenBucketLimiter(perSecond, burst, (workspaceId, wanted) => takeRateTokens(readModel, workspaceId, wanted, { ratePerSecond: perSecond, burst }))
        : null;
  }

  async admit(workspaceId: string): Promise<Admission> {
    if (!this.local) return { allowed: true };
    if (!this.shared) return this.local.take(workspaceId);
    try {
      return await this.shared.take(workspaceId);
    } catch (error) {
      this.warnOfOutage(error);
      return this.local.take(workspaceId);
    }
  }

  get limits(): { perSecond: number; burst: number } {
    return { perSecond: this.local?.ratePerSecond ?? 0, burst: this.local?.burst ?? 0 };
  }

  private warnOfOutage(error: unknown): void {
    const now = performance.now();
    if (now - this.lastOutageWarning < OUTAGE_WARNING_EVERY_MS) return;
    this.lastOutageWarning = now;
    this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'shared SCIM quota unavailable: this gateway limits each workspace on its own');
  }
}
