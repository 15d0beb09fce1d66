import { RejectionThrottle } from './rejection-throttle';

describe('RejectionThrottle', () => {
  let now = 0;
  const throttle = () => new RejectionThrottle(10_000, () => now);
  beforeEach(() => (now = 0));

  it('records the first rejection of a kind and suppresses the rest of the window', () => {
    const t = throttle();
    expect(t.admit('acme|unknown-token')).toEqual({ record: true, suppressed: 0 });
    for (let i = 0; i < 1000; i++) expect(t.admit('acme|unknown-token')).toEqual({ record: false });
    now = 9_999;
    expect(t.admit('acme|unknown-token')).toEqual({ record: false });
  });

  it('reports how many it suppressed when the next window opens', () => {
    const t = throttle();
    t.admit('k');
    t.admit('k');
    t.admit('k');
    now = 10_000;
    expect(t.admit('k')).toEqual({ record: true, suppressed: 2 });
    now = 20_000;
    expect(t.admit('k')).toEqual({ record: true, suppressed: 0 });
  });

  it('throttles each workspace and reason on its own', () => {
    const t = throttle();
    expect(t.admit('a|missing-token').record).toBe(true);
    expect(t.admit('a|rate-limited').record).toBe(true);
    expect(t.admit('b|missing-token').record).toBe(true);
    expect(t.admit('a|missing-token').record).toBe(false);
  });
});
