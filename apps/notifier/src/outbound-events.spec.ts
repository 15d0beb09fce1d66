import { matchesFilter, type EventFilter } from '@axis/event-store';
import type { EventStore } from '@axis/event-store';
import { auditReactor } from './audit/audit.reactor';
import type { EventPublisher } from './kafka/event-publisher.port';
import { kafkaReactor } from './kafka/kafka.reactor';
import { webhooksReactor } from './webhooks/webhooks.reactor';

/** The categories each notifier consumer reads: the store leaves the others out of its batches. */
describe('what the notifier consumers read', () => {
  const streams = {
    user: 'user-ws.u1',
    group: 'group-ws.g1',
    rejection: 'rejection-ws.log',
    workspace: 'workspace-ws.settings',
    addedLater: 'device-ws.d1',
    reservation: 'unique-ws.userName-0f1e',
    webhook: 'webhook-ws.w1',
    operations: 'operations-system.log',
  };
  const reads = (filter: EventFilter | undefined) =>
    Object.entries(streams)
      .filter(([, streamName]) => matchesFilter({ streamName, type: 'ANY_EVENT' }, filter))
      .map(([category]) => category);

  it('the audit log: every category but the uniqueness reservations', () => {
    expect(reads(auditReactor({} as EventStore).filter)).toEqual(['user', 'group', 'rejection', 'workspace', 'addedLater', 'webhook', 'operations']);
  });

  it('Kafka: every category but reservations, webhook configuration and operator actions', () => {
    expect(reads(kafkaReactor({} as EventPublisher).filter)).toEqual(['user', 'group', 'rejection', 'workspace', 'addedLater']);
  });

  it('webhooks: what Kafka reads, and the webhook configuration the reactor keeps', () => {
    expect(reads(webhooksReactor.filter)).toEqual(['user', 'group', 'rejection', 'workspace', 'addedLater', 'webhook']);
  });
});
