import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { KafkaConfig } from '@axis/config';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { APP_CONFIG, ConsumerHost, LOGGER, READ_MODEL, type Logger } from '@axis/platform';
import { WebhookCommands } from '@axis/write';
import type { DataSource } from 'typeorm';
import { auditReactor } from './audit/audit.reactor';
import { EVENT_PUBLISHER, type EventPublisher } from './kafka/event-publisher.port';
import { kafkaReactor } from './kafka/kafka.reactor';
import { KafkajsPublisher, kafkaPublisherOptionsOf } from './kafka/kafkajs.publisher';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { webhooksReactor } from './webhooks/webhooks.reactor';

export const NOTIFIER_CONSUMERS = Symbol('NOTIFIER_CONSUMERS');
export const WEBHOOK_DELIVERY_WORKER = Symbol('WEBHOOK_DELIVERY_WORKER');

/**
 * Connects the producer (creating the topic) at start-up without making a broker outage fatal —
 * the kafka reactor logs the outage once and retries — and stops it on shutdown.
 */
class PublisherLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.publisher?.start().catch((error: unknown) => {
      this.logger.debug({ error: error instanceof Error ? error.message : String(error) }, 'kafka not reachable yet; the reactor retries');
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
  }
}

class DeliveryWorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(WEBHOOK_DELIVERY_WORKER) private readonly worker: WebhookDeliveryWorker) {}

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}

/**
 * Reactors with their own checkpoints — `kafka` (when configured), `audit`, `webhooks` — and the
 * webhook delivery worker. None waits for another: a broker outage stalls only `kafka`, a dead
 * endpoint only its own deliveries.
 */
@Module({
  providers: [
    {
      provide: EVENT_PUBLISHER,
      useFactory: (config: KafkaConfig, logger: Logger): EventPublisher | null =>
        config.kafkaBrokers().length === 0 ? null : new KafkajsPublisher(kafkaPublisherOptionsOf(config), logger.child({ app: 'notifier' })),
      inject: [APP_CONFIG, LOGGER],
    },
    {
      provide: NOTIFIER_CONSUMERS,
      useFactory: (publisher: EventPublisher | null, eventStore: EventStore, readModel: DataSource, logger: Logger, config: KafkaConfig) =>
        new ConsumerHost(
          publisher ? [auditReactor(eventStore), webhooksReactor, kafkaReactor(publisher)] : [auditReactor(eventStore), webhooksReactor],
          eventStore,
          readModel,
          logger.child({ app: 'notifier' }),
          { role: 'notifier', statePollMs: config.CONSUMER_STATE_POLL_MS, poisonAfterFailures: config.CONSUMER_POISON_AFTER_FAILURES },
        ),
      inject: [EVENT_PUBLISHER, EVENT_STORE, READ_MODEL, LOGGER, APP_CONFIG],
    },
    {
      provide: WEBHOOK_DELIVERY_WORKER,
      useFactory: (config: KafkaConfig, eventStore: EventStore, readModel: DataSource, logger: Logger) =>
        new WebhookDeliveryWorker(
          readModel,
          new WebhookCommands(eventStore, { allowPrivateTargets: config.webhookAllowPrivateTargets() }),
          {
            retryDelaysMs: config.webhookRetryDelaysMs(),
            timeoutMs: config.WEBHOOK_TIMEOUT_MS,
            concurrencyPerEndpoint: config.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
            disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
            pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
            allowPrivateTargets: config.webhookAllowPrivateTargets(),
          },
          logger.child({ app: 'notifier', part: 'webhooks' }),
        ),
      inject: [APP_CONFIG, EVENT_STORE, READ_MODEL, LOGGER],
    },
    PublisherLifecycle,
    DeliveryWorkerLifecycle,
  ],
  exports: [NOTIFIER_CONSUMERS, WEBHOOK_DELIVERY_WORKER],
})
export class NotifierModule {}
