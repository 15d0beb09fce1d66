import type { ConsumerDefinition } from '@axis/platform';
import { isOutboundEvent } from '../outbound-events';
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
    batchSize: 500,
    retryDelaysMs: KAFKA_RETRY_DELAYS_MS,
    async handle(events) {
      await publisher.publish(events.filter(isOutboundEvent).map(toCloudEventRecord));
    },
  };
}
