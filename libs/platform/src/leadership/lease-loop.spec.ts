import { type HeldLock, LeaseLoop, type LockAcquirer } from './lease-loop';

/** A lock one party may hold at a time; `breakHolder()` ends the holder's session. */
class FakeLock {
  holder: number | null = null;
  attempts = 0;
  private readonly attemptsById = new Map<number, number>();
  failNextAttempts = 0;
  private breakSession: (() => void) | null = null;

  acquirer(id: number, log: string[]): LockAcquirer {
    return {
      tryAcquire: async () => {
        this.attempts++;
        this.attemptsById.set(id, this.attemptsOf(id) + 1);
        if (this.failNextAttempts > 0) {
          this.failNextAttempts--;
          throw new Error('connection refused');
        }
        if (this.holder !== null) return null;
        this.holder = id;
        log.push(`${id} locked`);
        let markLost!: () => void;
        const lost = new Promise<void>((resolve) => (markLost = resolve));
        this.breakSession = () => {
          this.holder = null;
          markLost();
        };
        const lock: HeldLock = {
          lost,
          release: async () => {
            if (this.holder === id) {
              this.holder = null;
              log.push(`${id} unlocked`);
            }
          },
        };
        return lock;
      },
      close: async () => undefined,
    };
  }

  attemptsOf(id: number): number {
    return this.attemptsById.get(id) ?? 0;
  }

  breakHolder(): void {
    this.breakSession?.();
  }
}

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

function loopOf(lock: FakeLock, id: number, log: string[], work: { failStarts?: number; stopTakesMs?: number; onStopped?: () => void } = {}) {
  let failStarts = work.failStarts ?? 0;
  return new LeaseLoop({
    name: 'projector',
    acquirer: lock.acquirer(id, log),
    retryMs: 5,
    logger: silent as never,
    onAcquired: async () => {
      if (failStarts-- > 0) throw new Error('read model down');
      log.push(`${id} started`);
    },
    onReleased: async () => {
      await new Promise((resolve) => setTimeout(resolve, work.stopTakesMs ?? 0));
      log.push(`${id} stopped`);
      work.onStopped?.();
    },
  });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not reached');
}

describe('LeaseLoop', () => {
  it('lets exactly one of two processes work; the standby takes over once the holder lost its lock', async () => {
    const lock = new FakeLock();
    const log: string[] = [];
    let firstAttemptsWhenStopped = -1;
    const first = loopOf(lock, 1, log, { stopTakesMs: 30, onStopped: () => (firstAttemptsWhenStopped = lock.attemptsOf(1)) });
    const second = loopOf(lock, 2, log);
    first.start();
    await until(() => first.holding);
    second.start();
    const attemptsBefore = lock.attempts;
    await until(() => lock.attempts >= attemptsBefore + 3);
    expect(second.holding).toBe(false);
    expect(log).toEqual(['1 locked', '1 started']);

    const firstAttemptsAtLoss = lock.attemptsOf(1);
    lock.breakHolder();
    await until(() => second.holding && log.includes('1 stopped'));
    // The old holder stopped its work before it tried to take the lock again.
    expect(firstAttemptsWhenStopped).toBe(firstAttemptsAtLoss);
    await until(() => lock.attemptsOf(1) > firstAttemptsAtLoss);
    expect(first.holding).toBe(false);
    expect(log).toEqual(['1 locked', '1 started', '2 locked', '2 started', '1 stopped']);

    await Promise.all([first.stop(), second.stop()]);
    expect(log.filter((line) => line.endsWith('started'))).toEqual(['1 started', '2 started']);
  });

  it('on stop, stops the work first and gives the lock back after', async () => {
    const lock = new FakeLock();
    const log: string[] = [];
    const loop = loopOf(lock, 1, log, { stopTakesMs: 20 });
    loop.start();
    await until(() => loop.holding);
    await loop.stop();
    expect(log).toEqual(['1 locked', '1 started', '1 stopped', '1 unlocked']);
    expect(loop.holding).toBe(false);
    expect(lock.holder).toBeNull();
  });

  it('gives the lock back when the work cannot start, and tries again', async () => {
    const lock = new FakeLock();
    const log: string[] = [];
    const loop = loopOf(lock, 1, log, { failStarts: 1 });
    loop.start();
    await until(() => loop.holding && log.includes('1 started'));
    await loop.stop();
    expect(log).toEqual(['1 locked', '1 stopped', '1 unlocked', '1 locked', '1 started', '1 stopped', '1 unlocked']);
  });

  it('keeps trying through an outage of the lock database, logging it once', async () => {
    const lock = new FakeLock();
    lock.failNextAttempts = 4;
    const errors: string[] = [];
    const loop = new LeaseLoop({
      name: 'notifier',
      acquirer: lock.acquirer(1, []),
      retryMs: 5,
      logger: { ...silent, error: (_fields: unknown, message: string) => errors.push(message) } as never,
      onAcquired: async () => undefined,
      onReleased: async () => undefined,
    });
    loop.start();
    await until(() => loop.holding);
    await loop.stop();
    expect(lock.attempts).toBe(5);
    expect(errors).toEqual(['cannot try the notifier lease; retrying']);
  });

  it('never works when stopped before it got the lock', async () => {
    const lock = new FakeLock();
    lock.holder = 9;
    const log: string[] = [];
    const loop = loopOf(lock, 1, log);
    loop.start();
    await until(() => lock.attempts >= 2);
    await loop.stop();
    lock.holder = null;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual([]);
  });
});
