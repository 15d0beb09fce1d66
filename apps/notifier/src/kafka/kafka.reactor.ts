import type { ConsumerDefinition } from '@axis/platform';
import { toCloudEventRecord } from './cloud-event.mapper';
import type { EventPublisher } from './event-publisher.port';

export const KAFKA_REACTOR = 'kafka';

/**
 * Sends every product event to the topic. At-least-once: the checkpoint commits only after the
 * broker acknowledged the batch; a consumer de-duplicates a retried batch by `ce_id`.
 */
export function kafkaReactor(publisher: EventPublisher): ConsumerDefinition {
  return {
    name: KAFKA_REACTOR,
    filter: { streamPrefixes: ['user-', 'group-', 'workspace-'] },
    batchSize: 500,
    async handle(events) {
      await publisher.publish(events.map(toCloudEventRecord));
    },
  };
}
