import type { DataSource } from 'typeorm';
import { WebhookDeliveryAttemptRecord, WebhookDeliveryRecord, WebhookSubscriptionRecord } from '../entities';

/** A subscription as the admin API shows it: never the secret (it is shown once, at creation). */
export interface WebhookSubscriptionView {
  id: string;
  workspaceId: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  description: string | null;
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: Array<{ attempt: number; attemptedAt: string; statusCode: number | null; error: string | null; durationMs: number }>;
}

export function toWebhookSubscriptionView(record: WebhookSubscriptionRecord): WebhookSubscriptionView {
  return {
    id: record.id,
    workspaceId: record.workspaceId,
    url: record.url,
    eventTypes: record.eventTypes,
    enabled: record.enabled,
    disabledReason: record.disabledReason,
    description: record.description,
    consecutiveFailures: record.consecutiveFailures,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export async function listWebhookSubscriptions(readModel: DataSource, workspaceId: string): Promise<WebhookSubscriptionView[]> {
  const records = await readModel.getRepository(WebhookSubscriptionRecord).find({ where: { workspaceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  return records.map(toWebhookSubscriptionView);
}

export async function findWebhookSubscription(readModel: DataSource, workspaceId: string, id: string): Promise<WebhookSubscriptionView | null> {
  const record = await readModel.getRepository(WebhookSubscriptionRecord).findOneBy({ workspaceId, id });
  return record ? toWebhookSubscriptionView(record) : null;
}

/** The delivery log of one subscription, newest first, each delivery with its attempts. */
export async function listWebhookDeliveries(
  readModel: DataSource,
  subscriptionId: string,
  options: { status?: string; limit?: number } = {},
): Promise<WebhookDeliveryView[]> {
  const deliveries = await readModel.getRepository(WebhookDeliveryRecord).find({
    where: { subscriptionId, ...(options.status ? { status: options.status as WebhookDeliveryRecord['status'] } : {}) },
    order: { createdAt: 'DESC', id: 'DESC' },
    take: Math.min(Math.max(options.limit ?? 100, 1), 1000),
  });
  if (deliveries.length === 0) return [];
  const attempts = await readModel
    .getRepository(WebhookDeliveryAttemptRecord)
    .createQueryBuilder('a')
    .where('a.delivery_id IN (:...ids)', { ids: deliveries.map((delivery) => delivery.id) })
    .orderBy('a.attempt', 'ASC')
    .getMany();
  return deliveries.map((delivery) => ({
    id: delivery.id,
    subscriptionId: delivery.subscriptionId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt : null,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt,
    deliveredAt: delivery.deliveredAt,
    log: attempts
      .filter((attempt) => attempt.deliveryId === delivery.id)
      .map((attempt) => ({
        attempt: attempt.attempt,
        attemptedAt: attempt.attemptedAt,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: attempt.durationMs,
      })),
  }));
}
