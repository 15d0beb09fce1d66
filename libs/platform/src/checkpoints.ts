import { type CheckpointStore, comparePositions, type Position, SqlCheckpointStore } from '@axis/event-store';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Consumer checkpoints live in the read-model database; bound to a transaction's manager, a
 * projection's rows and its checkpoint commit together.
 */
export function checkpointsIn(manager: EntityManager): CheckpointStore {
  return new SqlCheckpointStore(manager, { dialect: manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite' });
}

/**
 * Waits (bounded) until consumer `name` has committed `position` or beyond; true if it did. How a
 * writer makes its own write visible to the next reader of a projection (read-your-writes).
 */
export async function waitForCheckpoint(
  readModel: DataSource,
  name: string,
  position: Position,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<boolean> {
  const checkpoints = checkpointsIn(readModel.manager);
  const deadline = Date.now() + (options.timeoutMs ?? 3000);
  for (;;) {
    const committed = await checkpoints.load(name);
    if (committed && comparePositions(committed, position) >= 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 5));
  }
}
