import { Inject, Injectable } from '@nestjs/common';
import type { HttpConfig } from '@axis/config';
import { APP_CONFIG } from '@axis/platform';
import { type Admission, TokenBucketLimiter } from './token-bucket';

/**
 * The per-workspace SCIM quota of this gateway process (SCIM_RATE_LIMIT_PER_SECOND sustained,
 * SCIM_RATE_LIMIT_BURST at once; a rate of 0 turns it off). N replicas admit up to N times the
 * limit: size it as the workspace quota divided by the replica count.
 */
@Injectable()
export class WorkspaceRateLimiter {
  private readonly limiter: TokenBucketLimiter | null;

  constructor(@Inject(APP_CONFIG) config: HttpConfig) {
    this.limiter =
      config.SCIM_RATE_LIMIT_PER_SECOND > 0 ? new TokenBucketLimiter(config.SCIM_RATE_LIMIT_PER_SECOND, config.SCIM_RATE_LIMIT_BURST) : null;
  }

  admit(workspaceId: string): Admission {
    return this.limiter ? this.limiter.take(workspaceId) : { allowed: true };
  }

  get limits(): { perSecond: number; burst: number } {
    return { perSecond: this.limiter?.ratePerSecond ?? 0, burst: this.limiter?.burst ?? 0 };
  }
}
