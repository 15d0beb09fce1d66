import { type CheckpointStore, SqlCheckpointStore } from '@axis/event-store';
import type { EntityManager } from 'typeorm';

/**
 * Consumer checkpoints live in the read-model database; bound to a transaction's manager, a
 * projection's rows and its checkpoint commit together.
 */
export function checkpointsIn(manager: EntityManager): CheckpointStore {
  return new SqlCheckpointStore(manager, { dialect: manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite' });
}
