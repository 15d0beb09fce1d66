export { runEventStoreContract } from './event-store.contract';
export type { EventStoreContractFixture, EventStoreContractOptions } from './event-store.contract';
export { checkDelivery, isCleanDelivery } from './delivery-checker';
export type { CommittedEvent, DeliveryReport } from './delivery-checker';
export { requireDatabaseUrl, randomSchemaName, dropSchema } from './postgres-test-database';
export { describeCompareAndSet } from './checkpoint-store.contract';
