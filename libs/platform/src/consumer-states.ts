import type { EventFilter, Position } from '@axis/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import type { ConsumerStateName } from './metrics/metrics';

export type ConsumerKind = 'projection' | 'reactor';

/** A consumer's row in `consumer_states` (migration 0005). */
export interface ConsumerStateRow {
  consumer: string;
  kind: ConsumerKind | string;
  state: ConsumerStateName;
  filter: EventFilter | null;
  failedEventId: string | null;
  failedPosition: Position | null;
  failedError: string | null;
  failedAt: string | null;
  updatedAt: string;
  updatedBy: string | null;
  /** The process applying its batches (`host:pid`, migration 0014): the holder of its role's lease. */
  heldBy: string | null;
  heldSince: string | null;
}

export interface PoisonEvent {
  eventId: string;
  position: Position;
  error: string;
}

type Executor = Pick<EntityManager, 'query' | 'connection'> | DataSource;

function isPostgres(executor: Executor): boolean {
  const options = 'connection' in executor ? executor.connection.options : executor.options;
  return options.type === 'postgres';
}

/** Runs `text` with `?` placeholders, numbered `$n` on PostgreSQL. */
export async function runSql(executor: Executor, text: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  let n = 0;
  const statement = isPostgres(executor) ? text.replace(/\?/g, () => `$${++n}`) : text;
  const result: unknown = await executor.query(statement, params);
  if (Array.isArray(result)) {
    // TypeORM's PostgreSQL UPDATE/DELETE answers [rows, count].
    if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as Array<Record<string, unknown>>;
    return result as Array<Record<string, unknown>>;
  }
  return [];
}

const COLUMNS = 'consumer, kind, state, filter, failed_event_id, failed_position, failed_error, failed_at, updated_at, updated_by, held_by, held_since';

function rowOf(row: Record<string, unknown>): ConsumerStateRow {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    consumer: String(row['consumer']),
    kind: String(row['kind']),
    state: String(row['state']) as ConsumerStateName,
    filter: row['filter'] ? (JSON.parse(String(row['filter'])) as EventFilter) : null,
    failedEventId: text(row['failed_event_id']),
    failedPosition: text(row['failed_position']),
    failedError: text(row['failed_error']),
    failedAt: text(row['failed_at']),
    updatedAt: String(row['updated_at']),
    updatedBy: text(row['updated_by']),
    heldBy: text(row['held_by']),
    heldSince: text(row['held_since']),
  };
}

/**
 * The consumers' operational state, next to their checkpoints in the read-model database: what
 * `projections status|pause|resume|skip` read and write and what every consumer polls.
 */
export const consumerStates = {
  /** Records a starting consumer (kind and filter refreshed; its state kept). */
  async register(executor: Executor, consumer: string, kind: ConsumerKind | 'unknown', filter: EventFilter | undefined): Promise<void> {
    const now = new Date().toISOString();
    await runSql(
      executor,
      `INSERT INTO consumer_states (consumer, kind, state, filter, updated_at) VALUES (?, ?, 'running', ?, ?)
       ON CONFLICT (consumer) DO UPDATE SET kind = excluded.kind, filter = excluded.filter`,
      [consumer, kind, filter ? JSON.stringify(filter) : null, now],
    );
  },

  async load(executor: Executor, consumer: string): Promise<ConsumerStateRow | null> {
    const [row] = await runSql(executor, `SELECT ${COLUMNS} FROM consumer_states WHERE consumer = ?`, [consumer]);
    return row ? rowOf(row) : null;
  },

  async list(executor: Executor): Promise<ConsumerStateRow[]> {
    return (await runSql(executor, `SELECT ${COLUMNS} FROM consumer_states ORDER BY consumer`)).map(rowOf);
  },

  async markFailed(executor: Executor, consumer: string, poison: PoisonEvent): Promise<void> {
    const now = new Date().toISOString();
    await runSql(
      executor,
      `UPDATE consumer_states SET state = 'failed', failed_event_id = ?, failed_position = ?, failed_error = ?, failed_at = ?,
         updated_at = ?, updated_by = 'consumer' WHERE consumer = ?`,
      [poison.eventId, poison.position, poison.error.slice(0, 2000), now, now, consumer],
    );
  },

  /** Names the process that now applies these consumers' batches (the lease holder). */
  async markHeld(executor: Executor, consumers: readonly string[], holder: string): Promise<void> {
    if (consumers.length === 0) return;
    await runSql(executor, `UPDATE consumer_states SET held_by = ?, held_since = ? WHERE consumer IN (${consumers.map(() => '?').join(', ')})`, [
      holder,
      new Date().toISOString(),
      ...consumers,
    ]);
  },

  /** Clears the holder's name from the rows it still names it in (a clean stop). */
  async markReleased(executor: Executor, consumers: readonly string[], holder: string): Promise<void> {
    if (consumers.length === 0) return;
    await runSql(executor, `UPDATE consumer_states SET held_by = NULL, held_since = NULL WHERE held_by = ? AND consumer IN (${consumers.map(() => '?').join(', ')})`, [
      holder,
      ...consumers,
    ]);
  },

  /** Pause or resume (clears a failure too). True when the consumer exists. */
  async setState(executor: Executor, consumer: string, state: 'running' | 'paused', by: string): Promise<boolean> {
    const now = new Date().toISOString();
    const clear = state === 'running' ? ', failed_event_id = NULL, failed_position = NULL, failed_error = NULL, failed_at = NULL' : '';
    const rows = await runSql(
      executor,
      `UPDATE consumer_states SET state = ?, updated_at = ?, updated_by = ?${clear} WHERE consumer = ? RETURNING consumer`,
      [state, now, by, consumer],
    );
    return rows.length > 0;
  },
};

/** Checkpoint rows with their last update time (the "last processed" time `projections status` shows). */
export async function listCheckpoints(executor: Executor): Promise<Array<{ consumer: string; position: Position; updatedAt: string }>> {
  const rows = await runSql(executor, 'SELECT subscriber_id, position, updated_at FROM projection_checkpoints ORDER BY subscriber_id');
  return rows.map((row) => ({
    consumer: String(row['subscriber_id']),
    position: String(row['position']),
    updatedAt: row['updated_at'] instanceof Date ? row['updated_at'].toISOString() : String(row['updated_at']),
  }));
}

/** Sets a checkpoint unconditionally (operator actions: skip a poison event, reset a reactor). */
export async function setCheckpoint(executor: Executor, consumer: string, position: Position): Promise<void> {
  const now = new Date().toISOString();
  await runSql(
    executor,
    `INSERT INTO projection_checkpoints (subscriber_id, position, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (subscriber_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    [consumer, position, now],
  );
}
