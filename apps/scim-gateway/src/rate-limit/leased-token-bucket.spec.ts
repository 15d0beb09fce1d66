import { LeasedTokenBucketLimiter, type TakeSharedTokens } from './leased-token-bucket';

/** The shared bucket as the database keeps it, on a clock the test moves. */
function sharedBucket(ratePerSecond: number, burst: number, clock: () => number) {
  let tokens = burst;
  let refilledAt = clock();
  const calls: number[] = [];
  const take: TakeSharedTokens = async (_workspaceId, wanted) => {
    calls.push(wanted);
    const now = clock();
    tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * ratePerSecond);
    refilledAt = now;
    const granted = Math.min(wanted, Math.floor(tokens));
    tokens -= granted;
    return { granted, tokensLeft: tokens };
  };
  return { take, calls };
}

describe('LeasedTokenBucketLimiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 0));

  it('admits a concurrent burst exactly up to the shared bucket, then refuses with Retry-After', async () => {
    const bucket = sharedBucket(2, 5, clock);
    const limiter = new LeasedTokenBucketLimiter(2, 5, bucket.take, clock);
    const answers = await Promise.all(Array.from({ length: 20 }, () => limiter.take('acme')));
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(5);
    expect(answers.filter((answer) => !answer.allowed)).toEqual(Array.from({ length: 15 }, () => ({ allowed: false, retryAfterSeconds: 1 })));
    // Refills shared by the waiting requests, not one round trip each.
    expect(bucket.calls.length).toBeLessThanOrEqual(4);
  });

  it('answers refusals locally until the shared bucket holds a token again', async () => {
    const bucket = sharedBucket(1, 1, clock);
    const limiter = new LeasedTokenBucketLimiter(1, 1, bucket.take, clock);
    expect((await limiter.take('acme')).allowed).toBe(true);
    expect((await limiter.take('acme')).allowed).toBe(false);
    const calls = bucket.calls.length;
    for (let i = 0; i < 10; i++) expect((await limiter.take('acme')).allowed).toBe(false);
    expect(bucket.calls).toHaveLength(calls);
    now += 1000;
    expect((await limiter.take('acme')).allowed).toBe(true);
  });

  it('admits most requests under the quota without a round trip', async () => {
    const bucket = sharedBucket(100, 200, clock);
    const limiter = new LeasedTokenBucketLimiter(100, 200, bucket.take, clock);
    expect(limiter.leaseSize).toBe(10);
    for (let i = 0; i < 500; i++) {
      now += 20; // 50 requests/s, half the quota
      expect((await limiter.take('acme')).allowed).toBe(true);
    }
    expect(bucket.calls.length).toBeLessThanOrEqual(500 / 5 + 1);
  });

  it('lets two replicas together admit the quota and no more', async () => {
    const bucket = sharedBucket(50, 50, clock);
    const replicas = [new LeasedTokenBucketLimiter(50, 50, bucket.take, clock), new LeasedTokenBucketLimiter(50, 50, bucket.take, clock)];
    let admitted = 0;
    // 200 requests/s offered for 10 s, alternating between the replicas.
    for (let tick = 0; tick < 2000; tick++) {
      now += 5;
      if ((await replicas[tick % 2]!.take('acme')).allowed) admitted += 1;
    }
    const quota = 50 + 50 * 10;
    expect(admitted).toBeLessThanOrEqual(quota);
    expect(admitted).toBeGreaterThanOrEqual(quota * 0.9);
  });

  it('keeps workspaces apart', async () => {
    const bucket = sharedBucket(1, 2, clock);
    const limiter = new LeasedTokenBucketLimiter(1, 2, async (workspaceId, wanted) => (workspaceId === 'acme' ? bucket.take(workspaceId, wanted) : { granted: wanted, tokensLeft: 10 }), clock);
    for (let i = 0; i < 5; i++) await limiter.take('acme');
    expect((await limiter.take('acme')).allowed).toBe(false);
    expect((await limiter.take('globex')).allowed).toBe(true);
  });

  it('drops a lease left unspent, so an idle replica does not hold the quota', async () => {
    const bucket = sharedBucket(100, 10, clock);
    const limiter = new LeasedTokenBucketLimiter(100, 10, bucket.take, clock);
    await limiter.take('acme');
    now += 5000;
    await limiter.take('acme');
    // The second lease was taken afresh (the first one's leftovers expired), not spent from memory.
    expect(bucket.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects when the shared bucket cannot be reached, and recovers', async () => {
    let down = true;
    const bucket = sharedBucket(10, 10, clock);
    const limiter = new LeasedTokenBucketLimiter(10, 10, (workspaceId, wanted) => (down ? Promise.reject(new Error('connection refused')) : bucket.take(workspaceId, wanted)), clock);
    await expect(limiter.take('acme')).rejects.toThrow('connection refused');
    down = false;
    expect((await limiter.take('acme')).allowed).toBe(true);
  });
});
