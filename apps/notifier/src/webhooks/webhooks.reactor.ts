import { isWebhookEvent, matchesAnyWebhookPattern, type WebhookEvent } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';
import { BACKGROUND_READ_INTERVAL_MS, type ConsumerDefinition } from '@axis/platform';
import { insertRows, selectRows, WebhookDeliveryRecord, WebhookSubscriptionRecord } from '@axis/read-model';
import type { EntityManager } from 'typeorm';
import { isOutboundEvent, outboundTypeOf, WEBHOOKS_REACTOR_FILTER } from '../outbound-events';
import { deliveryIdOf, webhookPayloadOf } from './webhook-payload';

export const WEBHOOKS_REACTOR = 'webhooks';

/**
 * One consumer, one checkpoint, three jobs done in event order in the checkpoint's transaction:
 * it keeps `webhook_subscriptions` up to date from the `webhook-…` streams, queues a delivery row
 * per matching enabled subscription for every outbound event, and applies redelivery requests.
 * Doing all three in one ordered pass means an event is matched against the subscriptions as they
 * were at that point of the log — never missed because a separate projection lagged, never sent to
 * a subscription created after it. Queuing is idempotent (delivery id = hash of subscription and
 * event), so re-running this consumer from an older checkpoint sends nothing twice. HTTP happens
 * in the delivery worker, never here: a slow endpoint cannot hold the log back.
 */
export const webhooksReactor: ConsumerDefinition = {
  name: WEBHOOKS_REACTOR,
  kind: 'reactor',
  filter: WEBHOOKS_REACTOR_FILTER,
  batchSize: 500,
  minReadIntervalMs: BACKGROUND_READ_INTERVAL_MS,
  async handle(events, manager) {
    const now = new Date().toISOString();
    let subscriptions: Map<string, WebhookSubscriptionRecord[]> | null = null;
    const queued: WebhookDeliveryRecord[] = [];
    for (const event of events) {
      if (isWebhookEvent(event)) {
        await flush(manager, queued);
        await applyWebhookEvent(manager, event as RecordedEvent & WebhookEvent, now);
        subscriptions = null;
        continue;
      }
      if (!isOutboundEvent(event)) continue;
      subscriptions ??= await enabledSubscriptions(manager);
      const workspaceId = (event.metadata['workspaceId'] as string | undefined) ?? null;
      if (!workspaceId) continue;
      const type = outboundTypeOf(event);
      for (const subscription of subscriptions.get(workspaceId) ?? []) {
        if (!matchesAnyWebhookPattern(subscription.eventTypes, type)) continue;
        queued.push({
          id: deliveryIdOf(subscription.id, event.eventId),
          subscriptionId: subscription.id,
          workspaceId,
          eventId: event.eventId,
          eventType: type,
          payload: webhookPayloadOf(event),
          status: 'pending',
          attempts: 0,
          redeliveryBase: 0,
          redeliveryEventId: null,
          nextAttemptAt: now,
          lastStatusCode: null,
          lastError: null,
          createdAt: now,
          updatedAt: now,
          deliveredAt: null,
          position: event.position,
        });
      }
    }
    await flush(manager, queued);
  },
};

/** Queues the deliveries gathered so far. One queued already (a re-run from an older checkpoint) keeps its state: nothing is sent twice. */
async function flush(manager: EntityManager, queued: WebhookDeliveryRecord[]): Promise<void> {
  await insertRows(manager, WebhookDeliveryRecord, queued.splice(0), { onConflict: 'ignore' });
}

async function enabledSubscriptions(manager: EntityManager): Promise<Map<string, WebhookSubscriptionRecord[]>> {
  const records = await selectRows(manager, WebhookSubscriptionRecord, 'ORDER BY created_at, id');
  const byWorkspace = new Map<string, WebhookSubscriptionRecord[]>();
  for (const record of records) {
    if (!record.enabled) continue;
    byWorkspace.set(record.workspaceId, [...(byWorkspace.get(record.workspaceId) ?? []), record]);
  }
  return byWorkspace;
}

async function applyWebhookEvent(manager: EntityManager, event: RecordedEvent & WebhookEvent, now: string): Promise<void> {
  const repository = manager.getRepository(WebhookSubscriptionRecord);
  const occurredAt = (event.metadata['occurredAt'] as string | undefined) ?? now;
  switch (event.type) {
    case 'TENANT_WEBHOOK_CREATED':
      await repository.upsert(
        {
          id: event.data.webhookId,
          workspaceId: (event.metadata['workspaceId'] as string | undefined) ?? 'unknown',
          url: event.data.url,
          eventTypes: event.data.eventTypes,
          secret: event.data.secret,
          enabled: event.data.enabled,
          disabledReason: event.data.enabled ? null : 'admin',
          description: event.data.description,
          consecutiveFailures: 0,
          revision: event.revision,
          createdAt: occurredAt,
          updatedAt: occurredAt,
        },
        ['id'],
      );
      return;
    case 'TENANT_WEBHOOK_UPDATED': {
      const changes: Partial<WebhookSubscriptionRecord> = { revision: event.revision, updatedAt: occurredAt };
      if (event.data.url !== undefined) changes.url = event.data.url;
      if (event.data.eventTypes !== undefined) changes.eventTypes = event.data.eventTypes;
      if (event.data.description !== undefined) changes.description = event.data.description;
      if (event.data.enabled !== undefined) {
        changes.enabled = event.data.enabled;
        changes.disabledReason = event.data.enabled ? null : 'admin';
        if (event.data.enabled) changes.consecutiveFailures = 0;
      }
      await repository.update({ id: event.data.webhookId }, changes);
      return;
    }
    case 'TENANT_WEBHOOK_DISABLED':
      await repository.update(
        { id: event.data.webhookId },
        { enabled: false, disabledReason: event.data.reason, revision: event.revision, updatedAt: occurredAt },
      );
      return;
    case 'TENANT_WEBHOOK_DELETED':
      await repository.delete({ id: event.data.webhookId });
      await manager
        .getRepository(WebhookDeliveryRecord)
        .update({ subscriptionId: event.data.webhookId, status: 'pending' }, { status: 'cancelled', updatedAt: now });
      return;
    case 'TENANT_WEBHOOK_REDELIVERY_REQUESTED': {
      const deliveries = manager.getRepository(WebhookDeliveryRecord);
      const delivery = await deliveries.findOneBy({ id: event.data.deliveryId, subscriptionId: event.data.webhookId });
      if (!delivery || delivery.redeliveryEventId === event.eventId) return;
      await deliveries.update(
        { id: delivery.id },
        {
          status: 'pending',
          redeliveryBase: delivery.attempts,
          redeliveryEventId: event.eventId,
          nextAttemptAt: now,
          updatedAt: now,
        },
      );
      return;
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

