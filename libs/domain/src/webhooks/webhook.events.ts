import type { DomainEvent } from '../shared/event-metadata';

/**
 * Webhook subscriptions are event-sourced like everything else: stream `webhook-<workspaceId>.<id>`.
 * The secret is an HMAC key the notifier needs in clear to sign deliveries, so it is part of the
 * creation event; these events are internal (never published to Kafka or to webhooks) and their
 * audit entries never copy the secret.
 */
export interface WebhookCreatedData {
  webhookId: string;
  url: string;
  /** Patterns of CloudEvent types: `platform.scim.*`, `platform.scim.user.deactivated`, `*`. */
  eventTypes: string[];
  /** `whsec_<base64 of 24..64 random bytes>`; shown once to the admin who created it. */
  secret: string;
  enabled: boolean;
  description: string | null;
}

export interface WebhookUpdatedData {
  webhookId: string;
  changedAttributes: Array<'url' | 'eventTypes' | 'enabled' | 'description'>;
  url?: string;
  eventTypes?: string[];
  enabled?: boolean;
  description?: string | null;
}

export type WebhookDisabledReason = 'gone' | 'failing';

/** Recorded by the notifier: the endpoint answered 410 Gone, or kept failing. */
export interface WebhookDisabledData {
  webhookId: string;
  reason: WebhookDisabledReason;
  /** The delivery that tipped it. */
  deliveryId: string | null;
}

export interface WebhookIdData {
  webhookId: string;
}

export interface WebhookRedeliveryRequestedData {
  webhookId: string;
  deliveryId: string;
}

export type WebhookCreated = DomainEvent<'TENANT_WEBHOOK_CREATED', WebhookCreatedData>;
export type WebhookUpdated = DomainEvent<'TENANT_WEBHOOK_UPDATED', WebhookUpdatedData>;
export type WebhookDisabled = DomainEvent<'TENANT_WEBHOOK_DISABLED', WebhookDisabledData>;
export type WebhookDeleted = DomainEvent<'TENANT_WEBHOOK_DELETED', WebhookIdData>;
export type WebhookRedeliveryRequested = DomainEvent<'TENANT_WEBHOOK_REDELIVERY_REQUESTED', WebhookRedeliveryRequestedData>;

export type WebhookEvent = WebhookCreated | WebhookUpdated | WebhookDisabled | WebhookDeleted | WebhookRedeliveryRequested;

export const WEBHOOK_EVENT_TYPES: ReadonlyArray<WebhookEvent['type']> = [
  'TENANT_WEBHOOK_CREATED',
  'TENANT_WEBHOOK_UPDATED',
  'TENANT_WEBHOOK_DISABLED',
  'TENANT_WEBHOOK_DELETED',
  'TENANT_WEBHOOK_REDELIVERY_REQUESTED',
];

export function isWebhookEvent(event: { type: string }): event is WebhookEvent {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.type);
}

export const WEBHOOK_STREAM_CATEGORY = 'webhook';

export function webhookStreamName(workspaceId: string, webhookId: string): string {
  return `${WEBHOOK_STREAM_CATEGORY}-${workspaceId}.${webhookId}`;
}
