import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventMetadata } from '@axis/domain';
import { type AppendResult, type EventData, type EventStore, type ExpectedRevision, newEventId, type StreamAppend } from '@axis/event-store';
import { metrics } from '@axis/platform';
import type { WriteContext } from './write-context';

export interface EnvelopeOptions {
  /** One timestamp for the whole write (default: now). */
  occurredAt?: string;
  /** Ids chosen by the caller, one per event: appending an id the stream already has is a no-op (idempotent retries). */
  eventIds?: readonly string[];
}

/**
 * The only place the product builds an event's envelope (`EventMetadata`): every event it writes —
 * SCIM and admin commands, settings, rejections, reservations, operator actions, reactors — goes
 * through here. Correlation follows the request (its id is both correlation and causation), or for
 * a reactor the event it reacts to (causation) and that event's correlation.
 */
export function envelopedEvents(events: readonly DomainEvent[], context: WriteContext, options: EnvelopeOptions = {}): EventData[] {
  const occurredAt = options.occurredAt ?? new Date().toISOString();
  const cause = context.cause;
  const causeMetadata = cause?.metadata as (Partial<EventMetadata> & { requestId?: string }) | undefined;
  // A reactor's events carry the request id of what caused them, if it had one; nothing is invented for them.
  const requestId = context.requestId ?? (cause ? causeMetadata?.requestId : randomUUID());
  return events.map((event, index) => {
    const eventId = options.eventIds?.[index] ?? newEventId();
    const metadata: EventMetadata & { requestId?: string } = {
      eventId,
      workspaceId: context.workspaceId,
      actor: context.actor,
      correlationId: cause ? (causeMetadata?.correlationId ?? cause.eventId) : requestId!,
      causationId: cause ? cause.eventId : requestId!,
      occurredAt,
      dialect: context.dialect,
      schemaVersion: 1,
      ...(requestId ? { requestId } : {}),
    };
    return { eventId, type: event.type, data: { ...event.data } as Record<string, unknown>, metadata: { ...metadata } };
  });
}

/** An append of `events` to `streamName`, enveloped, for `appendToStreams` (several streams in one commit). */
export function streamAppendOf(
  streamName: string,
  events: readonly DomainEvent[],
  context: WriteContext,
  expectedRevision: ExpectedRevision,
  options: EnvelopeOptions = {},
): StreamAppend {
  return { streamName, events: envelopedEvents(events, context, options), expectedRevision };
}

/**
 * Appends `events` to one stream with their envelope, checking `expectedRevision` (default `any`:
 * a log nobody decides on, such as rejections or operator actions), and counts them for /metrics.
 */
export async function appendEvents(
  eventStore: EventStore,
  streamName: string,
  events: readonly DomainEvent[],
  context: WriteContext,
  options: EnvelopeOptions & { expectedRevision?: ExpectedRevision } = {},
): Promise<AppendResult> {
  const result = await eventStore.appendToStream(streamName, envelopedEvents(events, context, options), { expectedRevision: options.expectedRevision ?? 'any' });
  countAppended(events);
  return result;
}

/** Counts appended events by type (`axis_events_appended_total`). */
export function countAppended(events: readonly DomainEvent[]): void {
  for (const event of events) metrics.eventsAppendedTotal.inc({ type: event.type });
}
