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

/**
 * One delivery per (subscription, event), whoever enqueues it and however often: the first 128 bits
 * of SHA-256(`<subscription>:<event>`) with the version and variant bits set, a UUIDv8 (RFC 9562
 * §5.8; its Appendix B.2 builds a name-based v8 from SHA-256 the same way). Not a v5: that version
 * promises SHA-1 over a namespace UUID, and switching hashes would buy nothing but a dependency.
 * Deliveries queued before (labelled version 5) keep their stored id; the unique index on
 * (subscription_id, event_id) keeps a re-run from queuing them again under the new one.
 */
export function deliveryIdOf(subscriptionId: string, eventId: string): string {
  const hex = createHash('sha256').update(`${subscriptionId}:${eventId}`).digest('hex');
  const VERSION_8 = '8';
  const variant10 = ((parseInt(hex[16]!, 16) & 0b0011) | 0b1000).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${VERSION_8}${hex.slice(13, 16)}-${variant10}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
