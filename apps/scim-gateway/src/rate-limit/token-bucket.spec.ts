import { TokenBucketLimiter } from './token-bucket';

describe('TokenBucketLimiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 0));

  it('admits a burst, then refuses with the seconds until the next request fits', () => {
    const limiter = new TokenBucketLimiter(2, 5, clock);
    for (let i = 0; i < 5; i++) expect(limiter.take('acme')).toEqual({ allowed: true });
    expect(limiter.take('acme')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate', () => {
    const limiter = new TokenBucketLimiter(10, 10, clock);
    for (let i = 0; i < 10; i++) limiter.take('acme');
    expect(limiter.take('acme').allowed).toBe(false);
    now += 100; // one token
    expect(limiter.take('acme').allowed).toBe(true);
    expect(limiter.take('acme').allowed).toBe(false);
    now += 10_000; // capped at the burst
    for (let i = 0; i < 10; i++) expect(limiter.take('acme').allowed).toBe(true);
    expect(limiter.take('acme').allowed).toBe(false);
  });

  it('sustains the configured rate over time and no more', () => {
    const limiter = new TokenBucketLimiter(25, 100, clock);
    let admitted = 0;
    // 100 requests/s offered for 10 s.
    for (let tick = 0; tick < 1000; tick++) {
      now = tick * 10;
      if (limiter.take('acme').allowed) admitted++;
    }
    // burst + rate × duration, within one token of rounding.
    expect(admitted).toBeGreaterThanOrEqual(100 + 25 * 9.99 - 1);
    expect(admitted).toBeLessThanOrEqual(100 + 25 * 10 + 1);
  });

  it('keeps workspaces apart', () => {
    const limiter = new TokenBucketLimiter(1, 1, clock);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('asks a slow-rate client to wait long enough', () => {
    const limiter = new TokenBucketLimiter(0.25, 1, clock);
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
  });
});
