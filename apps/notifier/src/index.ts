export { NotifierModule, NOTIFIER_CONSUMERS } from './notifier.module';
export { NotifierConfig } from './notifier.config';
export { toCloudEventRecord } from './kafka/cloud-event.mapper';
export type { CloudEventRecord } from './kafka/cloud-event.mapper';
export { EVENT_PUBLISHER } from './kafka/event-publisher.port';
export type { EventPublisher } from './kafka/event-publisher.port';
