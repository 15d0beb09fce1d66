import { KafkaConfig } from '@axis/config';

/** Kafka is optional: without KAFKA_BROKERS only the audit reactor runs. */
export class NotifierConfig extends KafkaConfig {}
