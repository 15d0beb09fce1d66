export {
  comparePositions,
  EVENT_STORE,
  WrongExpectedRevisionError,
} from './event-store.port';
export type {
  AppendResult,
  BatchHandler,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from './event-store.port';
export { InvalidPositionError } from './positions';
export { PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE, preparePrivateSqliteFile, tightenMode } from './private-files';
export { newEventId } from './event-ids';
export { matchesFilter } from './event-filter';
export { createEventStore, eventStoreKind } from './create-event-store.factory';
export type { EventStoreConfig, EventStoreKind } from './create-event-store.factory';
export { SqliteEventStore, encodeSqlitePosition, decodeSqlitePosition } from './sqlite-event-store.adapter';
export type { SqliteEventStoreOptions } from './sqlite-event-store.adapter';
export {
  PostgresEventStore,
  encodePostgresPosition,
  decodePostgresPosition,
  migratePostgresSchema,
  NON_APPENDING_APPLICATION_NAME,
} from './postgres-event-store.adapter';
export type { PostgresEventStoreOptions, PostgresEventRow } from './postgres-event-store.adapter';
export { POSTGRES_MIGRATIONS } from './postgres-schema.migrations';
export { EsdbEventStore, encodeEsdbPosition, decodeEsdbPosition } from './esdb-event-store.adapter';
export type { EsdbEventStoreOptions } from './esdb-event-store.adapter';
export {
  CheckpointConflictError,
  DEFAULT_CHECKPOINT_TABLE,
  InMemoryCheckpointStore,
  SqlCheckpointStore,
  checkpointTableSql,
  ensureCheckpointTable,
  sqliteExecutor,
} from './checkpoint.store';
export type { CheckpointStore, SqlDialect, SqlExecutor, SqlCheckpointStoreOptions, SqliteDatabaseLike } from './checkpoint.store';
export type { ScannedBatch } from './polling-subscription';
