import { readFileSync } from 'node:fs';
import { Kafka, logLevel, Partitioners, type KafkaConfig as KafkajsConfig, type Producer, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from '@axis/config';
import type { Logger } from '@axis/platform';
import type { CloudEventRecord } from './cloud-event.mapper';
import type { EventPublisher } from './event-publisher.port';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  partitions: number;
  ssl?: KafkajsConfig['ssl'];
  sasl?: SASLOptions;
  /** kafkajs' own retries of one send before it fails (the reactor then retries the batch). */
  retries?: number;
}

/** Broker connection settings from the validated environment (TLS, SASL PLAIN / SCRAM). */
export function kafkaPublisherOptionsOf(config: KafkaConfig): KafkaPublisherOptions {
  const ssl = config.kafkaSsl()
    ? {
        rejectUnauthorized: config.KAFKA_SSL_REJECT_UNAUTHORIZED !== 'false',
        ...(config.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : {}),
      }
    : undefined;
  const sasl: SASLOptions | undefined = config.KAFKA_SASL_MECHANISM
    ? ({
        mechanism: config.KAFKA_SASL_MECHANISM,
        username: config.KAFKA_SASL_USERNAME!,
        password: config.KAFKA_SASL_PASSWORD!,
      } as SASLOptions)
    : undefined;
  return {
    brokers: config.kafkaBrokers(),
    clientId: config.KAFKA_CLIENT_ID,
    topic: config.KAFKA_TOPIC,
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    ...(ssl ? { ssl } : {}),
    ...(sasl ? { sasl } : {}),
  };
}

/**
 * Idempotent kafkajs producer with acks=-1 (one request in flight, so a partition keeps the batch's
 * order); creates the topic on start when it is absent. After a failed send the producer is
 * dropped and a fresh one connects on the next try: an idempotent producer whose retries ran out
 * may be left with sequence numbers the broker rejects, and a new producer id starts clean.
 * Records re-sent after a failure are duplicates the consumers drop by `ce_id`.
 */
export class KafkajsPublisher implements EventPublisher {
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;
  private topicReady = false;

  constructor(
    private readonly options: KafkaPublisherOptions,
    private readonly logger: Logger,
  ) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 30000,
      retry: { retries: options.retries ?? 3, initialRetryTime: 200, maxRetryTime: 2000 },
      ...(options.ssl ? { ssl: options.ssl } : {}),
      ...(options.sasl ? { sasl: options.sasl } : {}),
    });
  }

  /**
   * Connects lazily, so a broker that is down at start-up is one more failure the reactor retries
   * rather than a process that cannot start.
   */
  async start(): Promise<void> {
    await this.connected();
  }

  async publish(records: CloudEventRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.connected();
    try {
      await producer.send({
        topic: this.options.topic,
        acks: -1,
        messages: records.map((record) => ({ key: record.key, value: record.value, headers: record.headers })),
      });
    } catch (error) {
      await this.reset(producer);
      throw new Error(`kafka send failed (${this.options.brokers.join(',')}): ${describe(error)}`);
    }
  }

  async stop(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    this.connecting = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private connected(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= this.connect().then(
      (producer) => {
        this.producer = producer;
        this.connecting = null;
        return producer;
      },
      (error: unknown) => {
        this.connecting = null;
        throw new Error(`kafka unreachable (${this.options.brokers.join(',')}): ${describe(error)}`);
      },
    );
    return this.connecting;
  }

  private async reset(producer: Producer): Promise<void> {
    if (this.producer === producer) this.producer = null;
    await producer.disconnect().catch(() => undefined);
  }

  private async connect(): Promise<Producer> {
    if (!this.topicReady) {
      await this.ensureTopic();
      this.topicReady = true;
    }
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.logger.debug({ topic: this.options.topic }, 'kafka producer connected');
    return producer;
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
      await admin.disconnect().catch(() => undefined);
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return `${error.name}: ${error.message}${cause instanceof Error ? ` (${cause.message})` : ''}`;
}
