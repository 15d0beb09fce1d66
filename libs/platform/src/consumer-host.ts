import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import type { EventStore } from '@axis/event-store';
import type { DataSource } from 'typeorm';
import { checkpointsIn } from './checkpoints';
import { CheckpointedConsumer, type ConsumerDefinition, type ConsumerOptions } from './checkpointed-consumer';
import { consumerStates } from './consumer-states';
import { LeaseLoop } from './leadership/lease-loop';
import { PostgresAdvisoryLock } from './leadership/postgres-advisory-lock';
import type { Logger } from './logger';
import { consumerLeader, registerLagSource } from './metrics/metrics';
import { measureConsumerLag } from './operations/consumer-lag';

export interface ConsumerHostOptions extends ConsumerOptions {
  /**
   * The process role these consumers belong to (`projector`, `notifier`). On a PostgreSQL read
   * model the processes of one role elect one holder of the role's lease, and only the holder runs
   * the consumers; the others stand by. Without a role, or on SQLite, the consumers always run.
   */
  role?: string;
  /** How often a standby tries to take the lease. Default 1000 ms. */
  leaseRetryMs?: number;
}

/**
 * Starts an app's consumers once the app is up (once it holds its role's lease, see
 * `ConsumerHostOptions.role`) and stops them before the stores close. Reports their lag (events
 * and seconds) to `/metrics` at scrape time — a standby too: the lag is the role's, not the process's.
 */
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumers: CheckpointedConsumer[];
  private unregisterLag: (() => void) | null = null;
  private lease: LeaseLoop | null = null;
  /** What `projections status` shows as the process applying the batches. */
  private readonly holder = `${hostname()}:${process.pid}`;

  constructor(
    definitions: ConsumerDefinition[],
    private readonly eventStore: EventStore,
    private readonly readModel: DataSource,
    private readonly logger: Logger,
    private readonly options: ConsumerHostOptions = {},
  ) {
    this.consumers = definitions.map((definition) => new CheckpointedConsumer(definition, eventStore, readModel, logger, options));
  }

  /** False while this process stands by for another holder of its role's lease. */
  get active(): boolean {
    return this.lease?.holding ?? true;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unregisterLag = registerLagSource(() => this.lag());
    this.lease = this.leaseLoop();
    if (!this.lease) {
      await this.startConsumers();
      return;
    }
    // Not awaited: a standby is up and ready (to take over) without the lease.
    this.lease.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unregisterLag?.();
    if (this.lease) await this.lease.stop();
    else await this.stopConsumers();
  }

  private leaseLoop(): LeaseLoop | null {
    const { role } = this.options;
    const connection = this.readModel.options;
    if (!role || connection.type !== 'postgres' || !connection.url) return null;
    const schema = connection.schema ?? 'public';
    const names = this.consumers.map((consumer) => consumer.name);
    consumerLeader.set({ role }, 0);
    return new LeaseLoop({
      name: role,
      // One lease per role and read-model schema: two deployments on one database never wait on each other.
      acquirer: new PostgresAdvisoryLock({ url: connection.url, key: ['axis.consumer-lease', `${schema}/${role}`], applicationName: `axis ${role} lease ${this.holder}` }),
      retryMs: this.options.leaseRetryMs ?? 1000,
      logger: this.logger,
      onHoldingChange: (holding) => consumerLeader.set({ role }, holding ? 1 : 0),
      onAcquired: async () => {
        await this.startConsumers();
        await consumerStates.markHeld(this.readModel, names, this.holder);
      },
      onReleased: async () => {
        await this.stopConsumers();
        await consumerStates.markReleased(this.readModel, names, this.holder).catch(() => undefined);
      },
    });
  }

  private async startConsumers(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
    this.logger.info({ consumers: this.consumers.map((consumer) => consumer.name) }, 'consumers started');
  }

  private async stopConsumers(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    this.logger.info('consumers stopped');
  }

  private async lag(): Promise<Array<{ consumer: string; events: number; seconds: number }>> {
    if (!this.readModel.isInitialized) return [];
    const checkpoints = checkpointsIn(this.readModel.manager);
    return Promise.all(
      this.consumers.map(async (consumer) => {
        const checkpoint = await checkpoints.load(consumer.name);
        const lag = await measureConsumerLag(this.eventStore, checkpoint, consumer.filter);
        return { consumer: consumer.name, events: lag.events, seconds: lag.seconds };
      }),
    );
  }
}
