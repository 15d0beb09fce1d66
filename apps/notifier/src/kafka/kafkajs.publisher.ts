import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from '@axis/platform';
import type { CloudEventRecord } from './cloud-event.mapper';
import type { EventPublisher } from './event-publisher.port';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  partitions: number;
}

/** Idempotent kafkajs producer with acks=-1; creates the topic on start when it is absent. */
export class KafkajsPublisher implements EventPublisher {
  private readonly kafka: Kafka;
  private readonly producer: Producer;

  constructor(
    private readonly options: KafkaPublisherOptions,
    private readonly logger: Logger,
  ) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  private connecting: Promise<void> | null = null;

  /**
   * Connects lazily, so a broker that is down at start-up is one more failure the reactor retries
   * rather than a process that cannot start.
   */
  start(): Promise<void> {
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  async publish(records: CloudEventRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.start();
    await this.producer.send({
      topic: this.options.topic,
      acks: -1,
      messages: records.map((record) => ({ key: record.key, value: record.value, headers: record.headers })),
    });
  }

  async stop(): Promise<void> {
    this.connecting = null;
    await this.producer.disconnect();
  }

  private async connect(): Promise<void> {
    await this.ensureTopic();
    await this.producer.connect();
    this.logger.info({ topic: this.options.topic, brokers: this.options.brokers }, 'kafka producer connected');
  }

  private async ensureTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      if (!topics.includes(this.options.topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: this.options.topic, numPartitions: this.options.partitions }],
        });
        this.logger.info({ topic: this.options.topic, partitions: this.options.partitions }, 'kafka topic created');
      }
    } finally {
      await admin.disconnect();
    }
  }
}
