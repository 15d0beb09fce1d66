import type { CloudEventRecord } from './cloud-event.mapper';

/** Where the Kafka reactor sends records; kafkajs today, replaceable by another client. */
export interface EventPublisher {
  start(): Promise<void>;
  /** Resolves only once the broker acknowledged every record (acks = all). */
  publish(records: CloudEventRecord[]): Promise<void>;
  stop(): Promise<void>;
}

export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');
