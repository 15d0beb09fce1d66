import { cloudEventTypeOf, type EventMetadata, parseStreamName } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';
import { outboundDataOf } from '../outbound-events';

/** A Kafka record in CloudEvents 1.0 binary content mode: attributes in `ce_` headers, data as value. */
export interface CloudEventRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export function toCloudEventRecord(event: RecordedEvent): CloudEventRecord {
  const metadata = event.metadata as Partial<EventMetadata>;
  const stream = parseStreamName(event.streamName);
  const workspaceId = metadata.workspaceId ?? stream?.workspaceId ?? 'unknown';
  const resourceId = stream?.id ?? event.streamName;
  const subject = stream ? `${stream.category}s/${stream.id}` : event.streamName;
  return {
    // One member's (or group's) events share a key, hence a partition, hence their order.
    key: `${workspaceId}:${resourceId}`,
    value: JSON.stringify(outboundDataOf(event)),
    headers: {
      ce_specversion: '1.0',
      ce_id: event.eventId,
      ce_type: cloudEventTypeOf(event.type),
      ce_source: `/workspaces/${workspaceId}/scim`,
      ce_subject: subject,
      ce_time: metadata.occurredAt ?? event.recordedAt.toISOString(),
      ce_workspace: workspaceId,
      ce_streamrevision: String(event.revision),
      ce_dialect: metadata.dialect ?? 'rfc',
      'content-type': 'application/json',
    },
  };
}
