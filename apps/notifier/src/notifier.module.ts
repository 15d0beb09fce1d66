import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { KafkaConfig } from '@axis/config';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { APP_CONFIG, ConsumerHost, LOGGER, READ_MODEL, type Logger } from '@axis/platform';
import type { DataSource } from 'typeorm';
import { auditReactor } from './audit/audit.reactor';
import { EVENT_PUBLISHER, type EventPublisher } from './kafka/event-publisher.port';
import { kafkaReactor } from './kafka/kafka.reactor';
import { KafkajsPublisher } from './kafka/kafkajs.publisher';

export const NOTIFIER_CONSUMERS = Symbol('NOTIFIER_CONSUMERS');

/**
 * Connects the producer (creating the topic) at start-up without making a broker outage fatal,
 * and stops it on shutdown.
 */
class PublisherLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.publisher?.start().catch((error: unknown) => {
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'kafka not reachable yet; the reactor retries');
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
  }
}

/** Reactors with their own checkpoints: Kafka (when configured) and the audit log. */
@Module({
  providers: [
    {
      provide: EVENT_PUBLISHER,
      useFactory: (config: KafkaConfig, logger: Logger): EventPublisher | null =>
        config.kafkaBrokers().length === 0
          ? null
          : new KafkajsPublisher(
              {
                brokers: config.kafkaBrokers(),
                clientId: config.KAFKA_CLIENT_ID,
                topic: config.KAFKA_TOPIC,
                partitions: config.KAFKA_TOPIC_PARTITIONS,
              },
              logger.child({ app: 'notifier' }),
            ),
      inject: [APP_CONFIG, LOGGER],
    },
    {
      provide: NOTIFIER_CONSUMERS,
      useFactory: (publisher: EventPublisher | null, eventStore: EventStore, readModel: DataSource, logger: Logger) =>
        new ConsumerHost(
          publisher ? [auditReactor, kafkaReactor(publisher)] : [auditReactor],
          eventStore,
          readModel,
          logger.child({ app: 'notifier' }),
        ),
      inject: [EVENT_PUBLISHER, EVENT_STORE, READ_MODEL, LOGGER],
    },
    PublisherLifecycle,
  ],
  exports: [NOTIFIER_CONSUMERS],
})
export class NotifierModule {}
