export { NotifierModule, NOTIFIER_CONSUMERS, WEBHOOK_DELIVERY_WORKER } from './notifier.module';
export { NotifierConfig } from './notifier.config';
export { toCloudEventRecord } from './kafka/cloud-event.mapper';
export type { CloudEventRecord } from './kafka/cloud-event.mapper';
export { EVENT_PUBLISHER } from './kafka/event-publisher.port';
export type { EventPublisher } from './kafka/event-publisher.port';
export { signWebhook, verifyWebhook, webhookHeaders } from './webhooks/webhook-signature';
export { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
