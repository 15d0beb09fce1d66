import { type EventStore, newEventId, type Position } from '@axis/event-store';
import { appendEvents } from '../append-events';

/**
 * Operator actions on the consumers are recorded as events in ONE system stream, so the notifier's
 * audit reactor (which audits every category) lists them in the audit log (workspace `system`).
 * They are never published to Kafka or webhooks (category `operations` is unpublished).
 */
export const OPERATIONS_STREAM = 'operations-system.log';
export const OPERATIONS_WORKSPACE = 'system';

export const OPERATOR_EVENT_TYPES = {
  skipped: 'OPERATOR_CONSUMER_SKIPPED',
  paused: 'OPERATOR_CONSUMER_PAUSED',
  resumed: 'OPERATOR_CONSUMER_RESUMED',
  reset: 'OPERATOR_REACTOR_RESET',
  replayed: 'OPERATOR_PROJECTION_REPLAYED',
  republished: 'OPERATOR_KAFKA_REPUBLISHED',
} as const;

export type OperatorEventType = (typeof OPERATOR_EVENT_TYPES)[keyof typeof OPERATOR_EVENT_TYPES];

export interface OperatorAction {
  type: OperatorEventType;
  /** The consumer acted on; other fields are ids and positions only (they go into the audit log). */
  data: { consumer: string } & Record<string, string | number | boolean | null>;
  /** `operator` or `operator:<login>`. */
  actor: string;
}

/** Appends the operator action to `operations-system.log`; returns its event id and position. */
export async function recordOperatorAction(eventStore: EventStore, action: OperatorAction): Promise<{ eventId: string; position: Position }> {
  const eventId = newEventId();
  const context = { workspaceId: OPERATIONS_WORKSPACE, actor: action.actor, dialect: 'system' } as const;
  const result = await appendEvents(eventStore, OPERATIONS_STREAM, [{ type: action.type, data: { ...action.data } }], context, { eventIds: [eventId] });
  return { eventId, position: result.position };
}
