import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LOGGER, type Logger, registerThreadMetrics, type ThreadMetrics } from '@axis/platform';
import type { FromConsumerThread, ToConsumerThread } from './consumer-thread.messages';

/** A scrape waits this long for the consumer thread's metrics before answering without them. */
const METRICS_TIMEOUT_MS = 5000;
/** How long the stopped thread may take to exit on its own. */
const STOPPED_GRACE_MS = 2000;

/**
 * Runs the projections and reactors (the projector's and notifier's modules) on a worker thread of
 * the all-in-one: they then use the machine's second core instead of taking turns with the SCIM
 * requests on the main event loop. Both threads open their own connections to the same stores;
 * SQLite commits are announced across threads (see the SQLite event store), and so are the
 * projections' checkpoints, which wake read-your-writes (see checkpointAnnouncements).
 *
 * The thread starts once the main thread's stores are open (migrated), and stops, checkpointed,
 * before they close. If it dies, the process exits: half an all-in-one would accept writes that
 * nothing projects.
 */
@Injectable()
export class ConsumerThread implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker: Worker | null = null;
  private stopping = false;
  private nextRequestId = 0;
  private readonly pendingMetrics = new Map<number, (metrics: ThreadMetrics) => void>();
  private unregisterMetrics: (() => void) | null = null;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  async onApplicationBootstrap(): Promise<void> {
    const worker = new Worker(join(__dirname, 'consumers.worker.js'));
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromConsumerThread) => {
        if (message.type !== 'ready') return;
        worker.off('error', reject).off('exit', onEarlyExit).off('message', onMessage);
        resolve();
      };
      const onEarlyExit = (code: number) => reject(new Error(`the consumer thread exited with code ${code} while starting`));
      worker.on('message', onMessage).once('error', reject).once('exit', onEarlyExit);
    });
    worker.on('message', (message: FromConsumerThread) => {
      if (message.type === 'metrics') this.pendingMetrics.get(message.requestId)?.(message.metrics);
      // Its consumers stopped and its stores closed: a handle left open (a client's timer) must not
      // keep the thread, and the process, from exiting.
      if (message.type === 'stopped') setTimeout(() => void worker.terminate(), STOPPED_GRACE_MS).unref();
    });
    worker.on('error', (error) => this.died(`failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.stopping) this.died(`exited with code ${code}`);
    });
    this.unregisterMetrics = registerThreadMetrics(() => this.metrics());
    this.logger.info({ threadId: worker.threadId }, 'consumers running on a worker thread');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    this.unregisterMetrics?.();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    await exited;
    this.worker = null;
  }

  private metrics(): Promise<ThreadMetrics> {
    const requestId = (this.nextRequestId += 1);
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle([]), METRICS_TIMEOUT_MS);
      const settle = (metrics: ThreadMetrics) => {
        clearTimeout(timer);
        this.pendingMetrics.delete(requestId);
        resolve(metrics);
      };
      this.pendingMetrics.set(requestId, settle);
      this.send({ type: 'metrics', requestId });
    });
  }

  private send(message: ToConsumerThread): void {
    this.worker?.postMessage(message);
  }

  private died(how: string): void {
    this.logger.fatal(`the consumer thread ${how}; exiting so that a supervisor restarts the whole all-in-one`);
    process.exit(1);
  }
}
