import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@axis/event-store';
import type { DataSource } from 'typeorm';
import { CheckpointedConsumer, type ConsumerDefinition } from './checkpointed-consumer';
import type { Logger } from './logger';

/** Starts an app's consumers once the app is up and stops them before the stores close. */
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumers: CheckpointedConsumer[];

  constructor(
    definitions: ConsumerDefinition[],
    eventStore: EventStore,
    readModel: DataSource,
    private readonly logger: Logger,
  ) {
    this.consumers = definitions.map((definition) => new CheckpointedConsumer(definition, eventStore, readModel, logger));
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
    this.logger.info({ consumers: this.consumers.map((consumer) => consumer.name) }, 'consumers started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    this.logger.info('consumers stopped');
  }
}
