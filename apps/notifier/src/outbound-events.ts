import { cloudEventTypeOf, DOMAIN_EVENT_TYPES, isWebhookEvent, parseStreamName, STREAM_CATEGORY, WEBHOOK_STREAM_CATEGORY } from '@axis/domain';
import type { EventFilter, RecordedEvent } from '@axis/event-store';

/** `operations-system.log`: operator actions on the consumers (skip, pause, reset, replay). */
export const OPERATIONS_STREAM_CATEGORY = 'operations';

/**
 * Write-side bookkeeping streams that are neither product facts nor security records: the
 * gateway's uniqueness reservations. Never published, never audited.
 */
export const BOOKKEEPING_STREAM_CATEGORIES: readonly string[] = [STREAM_CATEGORY.unique];

/**
 * Categories never published to Kafka or webhooks: bookkeeping, webhook configuration (internal,
 * carries signing secrets; it is audited) and operator actions on the consumers (audited only).
 */
export const UNPUBLISHED_STREAM_CATEGORIES: readonly string[] = [...BOOKKEEPING_STREAM_CATEGORIES, WEBHOOK_STREAM_CATEGORY, OPERATIONS_STREAM_CATEGORY];

/** What the webhooks reactor reads: outbound events and the webhook configuration it keeps. */
export const WEBHOOKS_REACTOR_FILTER: EventFilter = excludingCategories(
  UNPUBLISHED_STREAM_CATEGORIES.filter((category) => category !== WEBHOOK_STREAM_CATEGORY),
);

/**
 * A subscription filter that leaves these categories' streams out: the store skips their events, so
 * a consumer does not read (and parse) three uniqueness reservations per created user only to drop
 * them. Every other category, including one added later, is still read.
 */
export function excludingCategories(categories: readonly string[]): EventFilter {
  return { excludeStreamPrefixes: categories.map((category) => `${category}-`) };
}

function categoryOf(streamName: string): string | null {
  return parseStreamName(streamName)?.category ?? null;
}

/**
 * What leaves the platform (Kafka, webhooks): every event of the store except the categories
 * above. No allow-list of stream prefixes, so a category added later (groups, tokens, rejections …)
 * is published without a change here.
 */
export function isOutboundEvent(event: Pick<RecordedEvent, 'type' | 'streamName'>): boolean {
  const category = categoryOf(event.streamName);
  return !isWebhookEvent(event) && !(category !== null && UNPUBLISHED_STREAM_CATEGORIES.includes(category));
}

/** What the Security Console records: everything but bookkeeping. */
export function isAuditedEvent(event: Pick<RecordedEvent, 'streamName'>): boolean {
  const category = categoryOf(event.streamName);
  return !(category !== null && BOOKKEEPING_STREAM_CATEGORIES.includes(category));
}

/** The event type downstream consumers see: CloudEvents `type`, webhook `type`. */
export function outboundTypeOf(event: Pick<RecordedEvent, 'type'>): string {
  return cloudEventTypeOf(event.type);
}

/**
 * Every event type published to Kafka and webhooks, as the domain names it: the contract
 * (docs/asyncapi.yaml) has a message for each `outboundTypeOf` of these.
 */
export const PUBLISHED_EVENT_TYPES: readonly string[] = DOMAIN_EVENT_TYPES.filter((type) => !isWebhookEvent({ type }));

/** Fields never published, whatever the event: credential hashes and secrets. */
const NEVER_PUBLISHED = new Set(['sha256', 'secret', 'tokenHash', 'keyHash']);

/** The event's data as published (Kafka value, webhook `data`). */
export function outboundDataOf(event: Pick<RecordedEvent, 'data'>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.data)) if (!NEVER_PUBLISHED.has(key)) data[key] = value;
  return data;
}
