import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@axis/event-store';
import type { DataSource } from 'typeorm';
import { checkpointsIn } from './checkpoints';
import { CheckpointedConsumer, type ConsumerDefinition, type ConsumerOptions } from './checkpointed-consumer';
import type { Logger } from './logger';
import { registerLagSource } from './metrics/metrics';
import { measureConsumerLag } from './operations/consumer-lag';

/**
 * Starts an app's consumers once the app is up and stops them before the stores close. Reports
 * their lag (events and seconds) to `/metrics` at scrape time.
 */
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumers: CheckpointedConsumer[];
  private unregisterLag: (() => void) | null = null;

  constructor(
    definitions: ConsumerDefinition[],
    private readonly eventStore: EventStore,
    private readonly readModel: DataSource,
    private readonly logger: Logger,
    options: ConsumerOptions = {},
  ) {
    this.consumers = definitions.map((definition) => new CheckpointedConsumer(definition, eventStore, readModel, logger, options));
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
    this.unregisterLag = registerLagSource(() => this.lag());
    this.logger.info({ consumers: this.consumers.map((consumer) => consumer.name) }, 'consumers started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unregisterLag?.();
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
