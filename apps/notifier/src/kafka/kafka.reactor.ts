import { BACKGROUND_READ_INTERVAL_MS, type ConsumerDefinition, metrics, TransientConsumerError } from '@axis/platform';
import { excludingCategories, isOutboundEvent, UNPUBLISHED_STREAM_CATEGORIES } from '../outbound-events';
import { toCloudEventRecord } from './cloud-event.mapper';
import type { EventPublisher } from './event-publisher.port';

export const KAFKA_REACTOR = 'kafka';

/** After an outage, try again at most every 2 s, so delivery resumes quickly once the broker is back. */
const KAFKA_RETRY_DELAYS_MS = [200, 500, 1000, 2000];

/**
 * Sends every product event to the topic. At-least-once: the checkpoint commits only after the
 * broker acknowledged the batch; a consumer de-duplicates a retried batch by `ce_id`.
 */
export function kafkaReactor(publisher: EventPublisher): ConsumerDefinition {
  return {
    name: KAFKA_REACTOR,
    kind: 'reactor',
    filter: excludingCategories(UNPUBLISHED_STREAM_CATEGORIES),
    batchSize: 500,
    minReadIntervalMs: BACKGROUND_READ_INTERVAL_MS,
    retryDelaysMs: KAFKA_RETRY_DELAYS_MS,
    async handle(events) {
      const records = events.filter(isOutboundEvent).map(toCloudEventRecord);
      if (records.length === 0) return;
      const started = process.hrtime.bigint();
      try {
        await publisher.publish(records);
      } catch (error) {
        metrics.kafkaPublishDuration.observe({ outcome: 'failed' }, metrics.secondsSince(started));
        // A broker outage, not a bad event: retried for as long as it lasts, never a poison event.
        throw new TransientConsumerError(error instanceof Error ? error.message : String(error), { cause: error });
      }
      metrics.kafkaPublishDuration.observe({ outcome: 'acknowledged' }, metrics.secondsSince(started));
      metrics.kafkaMessagesPublishedTotal.inc(records.length);
    },
  };
}
