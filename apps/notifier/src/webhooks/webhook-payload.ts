import { createHash } from 'node:crypto';
import { type EventMetadata, parseStreamName } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';
import { outboundDataOf, outboundTypeOf } from '../outbound-events';

/**
 * The JSON body of a delivery, in the Standard Webhooks shape (`type`, `timestamp`, `data`) plus
 * the CloudEvent's identifying attributes, so a receiver can treat Kafka and webhooks alike.
 */
export function webhookPayloadOf(event: RecordedEvent): string {
  const metadata = event.metadata as Partial<EventMetadata>;
  const stream = parseStreamName(event.streamName);
  const workspaceId = metadata.workspaceId ?? stream?.workspaceId ?? 'unknown';
  return JSON.stringify({
    type: outboundTypeOf(event),
    timestamp: metadata.occurredAt ?? event.recordedAt.toISOString(),
    id: event.eventId,
    workspaceId,
    subject: stream ? `${stream.category}s/${stream.id}` : event.streamName,
    streamRevision: event.revision,
    data: outboundDataOf(event),
  });
}

/** One delivery per (subscription, event), whoever enqueues it and however often. */
export function deliveryIdOf(subscriptionId: string, eventId: string): string {
  const hex = createHash('sha256').update(`${subscriptionId}:${eventId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
