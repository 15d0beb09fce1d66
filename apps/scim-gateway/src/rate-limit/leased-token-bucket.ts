import type { Admission } from './token-bucket';

/** Takes up to `wanted` tokens from the workspace's shared bucket (one database round trip). */
export type TakeSharedTokens = (workspaceId: string, wanted: number) => Promise<{ granted: number; tokensLeft: number }>;

/** A lease is a tenth of a second of the quota: small enough that unused leases waste little of it. */
const LEASE_SECONDS = 0.1;
/** Leased tokens not spent within this are dropped, so an idle replica does not hold the quota. */
const LEASE_TTL_MS = 1000;
const PRUNE_ABOVE = 10_000;

interface Lease {
  tokens: number;
  expiresAt: number;
  /** The shared bucket was empty: refuse locally until it holds a token again. */
  deniedUntil: number;
  pending: Promise<void> | null;
  /** Requests of this workspace waiting for an admission in this process. */
  waiting: number;
}

/**
 * A token bucket shared by every gateway replica, spent through local leases. A replica takes a
 * lease of tokens from the shared bucket in one round trip and admits from it locally, taking the
 * next lease in the background before this one runs out: a request under the quota normally waits
 * for no round trip. Requests that meet an empty lease share one refill sized for all of them;
 * once the shared bucket is empty, refusals are answered locally until it refills. Replicas never
 * admit more than the shared bucket grants; unspent leases expire and admit a little less.
 */
export class LeasedTokenBucketLimiter {
  readonly leaseSize: number;
  private readonly leases = new Map<string, Lease>();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly takeShared: TakeSharedTokens,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new Error('rate must be > 0 and burst ≥ 1');
    this.leaseSize = Math.max(1, Math.min(burst, Math.ceil(ratePerSecond * LEASE_SECONDS)));
  }

  /** Rejects when the shared bucket cannot be reached; the caller decides what to admit then. */
  async take(workspaceId: string): Promise<Admission> {
    const lease = this.leaseOf(workspaceId);
    lease.waiting += 1;
    try {
      for (;;) {
        const now = this.nowMs();
        if (lease.tokens >= 1 && now < lease.expiresAt) {
          lease.tokens -= 1;
          this.renewEarly(workspaceId, lease);
          return { allowed: true };
        }
        if (now < lease.deniedUntil) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((lease.deniedUntil - now) / 1000)) };
        lease.pending ??= this.refill(workspaceId, lease, Math.max(this.leaseSize, lease.waiting));
        await lease.pending;
      }
    } finally {
      lease.waiting -= 1;
    }
  }

  private renewEarly(workspaceId: string, lease: Lease): void {
    if (this.leaseSize < 2 || lease.pending || lease.tokens >= this.leaseSize / 2 || this.nowMs() < lease.deniedUntil) return;
    // A failed early renewal costs nothing: the request that finds the lease empty refills again.
    lease.pending = this.refill(workspaceId, lease, this.leaseSize).catch(() => undefined);
  }

  private async refill(workspaceId: string, lease: Lease, wanted: number): Promise<void> {
    try {
      const grant = await this.takeShared(workspaceId, wanted);
      const now = this.nowMs();
      lease.tokens = (now < lease.expiresAt ? lease.tokens : 0) + grant.granted;
      lease.expiresAt = now + LEASE_TTL_MS;
      lease.deniedUntil = grant.tokensLeft < 1 ? now + ((1 - grant.tokensLeft) / this.ratePerSecond) * 1000 : 0;
    } finally {
      lease.pending = null;
    }
  }

  private leaseOf(workspaceId: string): Lease {
    let lease = this.leases.get(workspaceId);
    if (!lease) {
      if (this.leases.size >= PRUNE_ABOVE) this.prune();
      lease = { tokens: 0, expiresAt: 0, deniedUntil: 0, pending: null, waiting: 0 };
      this.leases.set(workspaceId, lease);
    }
    return lease;
  }

  private prune(): void {
    const now = this.nowMs();
    for (const [workspaceId, lease] of this.leases) {
      if (lease.waiting === 0 && !lease.pending && now >= lease.expiresAt && now >= lease.deniedUntil) this.leases.delete(workspaceId);
    }
  }
}
