import type { Logger } from '../logger';

/** A lock this process holds. */
export interface HeldLock {
  /** Settles when the lock can no longer be trusted: its session ended or stopped answering. */
  readonly lost: Promise<void>;
  /** Idempotent; never throws. */
  release(): Promise<void>;
}

/** Takes the lock if nobody holds it (null when somebody does); may throw on an outage. */
export interface LockAcquirer {
  tryAcquire(): Promise<HeldLock | null>;
  /** Closes what the acquirer keeps between attempts. */
  close(): Promise<void>;
}

export interface LeaseLoopOptions {
  acquirer: LockAcquirer;
  /** Starts the work only the holder may do. A failure gives the lock back and retries later. */
  onAcquired(): Promise<void>;
  /** Stops that work; it must not return before the last batch in hand has ended. */
  onReleased(): Promise<void>;
  /** Pause between attempts of a standby (and after a failed start). */
  retryMs: number;
  logger: Logger;
  /** Names the lease in logs. */
  name: string;
  onHoldingChange?(holding: boolean): void;
}

/**
 * Exactly one holder at a time does the work: a standby tries to take the lock every `retryMs`;
 * the holder does the work until the lock is lost (then it stops the work BEFORE it tries again,
 * so it never works without the lock for longer than a batch in hand) or the loop is stopped
 * (then it stops the work, then gives the lock back).
 */
export class LeaseLoop {
  private stopped = false;
  private running: Promise<void> | null = null;
  private wakeUp: () => void = () => undefined;
  private readonly stopping: Promise<void>;
  private holdingNow = false;
  private acquireFailing = false;

  constructor(private readonly options: LeaseLoopOptions) {
    this.stopping = new Promise<void>((resolve) => {
      this.wakeUp = resolve;
    });
  }

  get holding(): boolean {
    return this.holdingNow;
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp();
    await this.running;
    await this.options.acquirer.close().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    const { logger, name } = this.options;
    while (!this.stopped) {
      const lock = await this.attempt();
      if (!lock) {
        await this.pause();
        continue;
      }
      if (this.stopped) {
        await lock.release();
        break;
      }
      this.setHolding(true);
      logger.info({ lease: name }, `holding the ${name} lease: this process applies the batches`);
      let started = true;
      try {
        await this.options.onAcquired();
      } catch (error) {
        started = false;
        logger.error({ lease: name, error: describe(error) }, `could not start as ${name} holder; giving the lease back`);
      }
      const outcome = started ? await Promise.race([lock.lost.then(() => 'lost' as const), this.stopping.then(() => 'stopped' as const)]) : 'failed';
      if (outcome === 'lost') logger.error({ lease: name }, `lost the ${name} lease: stopping the consumers, then trying to take it again`);
      await this.options.onReleased().catch((error: unknown) => logger.error({ lease: name, error: describe(error) }, `stopping the ${name} work failed`));
      this.setHolding(false);
      await lock.release();
      if (outcome !== 'stopped') await this.pause();
    }
  }

  private async attempt(): Promise<HeldLock | null> {
    try {
      const lock = await this.options.acquirer.tryAcquire();
      if (this.acquireFailing) this.options.logger.info({ lease: this.options.name }, `the ${this.options.name} lease can be tried again`);
      this.acquireFailing = false;
      return lock;
    } catch (error) {
      // One line per outage, like the consumers.
      if (!this.acquireFailing) this.options.logger.error({ lease: this.options.name, error: describe(error) }, `cannot try the ${this.options.name} lease; retrying`);
      this.acquireFailing = true;
      return null;
    }
  }

  private async pause(): Promise<void> {
    if (this.stopped) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.retryMs))), this.stopping]);
    clearTimeout(timer);
  }

  private setHolding(holding: boolean): void {
    this.holdingNow = holding;
    this.options.onHoldingChange?.(holding);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
