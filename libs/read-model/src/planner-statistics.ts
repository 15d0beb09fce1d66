import type { DataSource } from 'typeorm';
import { isPostgres } from './search-sql';

/**
 * A table is analysed here once its rows changed by this many more than it held at its last
 * ANALYZE: from empty, at about 1,000, 2,000, 4,000 … rows, a handful of times while it is young.
 */
const CHANGES_BEYOND_SIZE_BEFORE_ANALYZE = 1000;

/**
 * A sketch (3,000 sampled rows, not 30,000): a quarter of the default's cost (50 against 190 ms
 * for 12,000 members), and enough to tell a lookup by key from a scan. Autovacuum's analyses,
 * at the server's target, replace it.
 */
const SKETCH_STATISTICS_TARGET = 10;

/** How often the keeper looks: the rows an initial sync writes in this time are read by a stale plan. */
const DEFAULT_PERIOD_MS = 2000;

/**
 * Analyses the young read-model tables (the connection's schema: not yet analysed by autovacuum)
 * that grew past their statistics, and returns their names. On SQLite it does nothing: its planner,
 * without statistics, assumes an index narrows a lookup, and its statement cache plans nothing ahead.
 *
 * Why: `queryRows` runs named statements, and PostgreSQL keeps the generic plan of a named
 * statement until the statistics of its tables change. A read model filled from empty — the first
 * initial sync of an install, a replay's shadow tables — is planned while tiny (a sequential scan),
 * and autovacuum's first ANALYZE comes a minute or more later (its nap, then 10% growth): until then
 * every lookup by id reads the whole table, at a cost that grows with it (7 ms a batch of the
 * members projection at 8,000 members). ANALYZE makes every connection plan those statements again.
 * Once autovacuum has analysed a table it keeps it analysed; a table planned at a realistic size
 * does not turn to scans by growing.
 */
export async function analyzeGrownTables(dataSource: DataSource): Promise<string[]> {
  if (!isPostgres(dataSource)) return [];
  const grown: Array<{ name: string }> = await dataSource.query(
    `SELECT s.relname AS name
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = current_schema() AND s.last_autoanalyze IS NULL
        AND s.n_mod_since_analyze >= $1 + greatest(c.reltuples, 0)
      ORDER BY s.relname`,
    [CHANGES_BEYOND_SIZE_BEFORE_ANALYZE],
  );
  const tables = grown.map(({ name }) => name);
  await analyzeTables(dataSource, tables);
  return tables;
}

/** Sketches the statistics of these tables of the connection's schema (PostgreSQL; nothing on SQLite). */
export async function analyzeTables(dataSource: DataSource, tables: readonly string[]): Promise<void> {
  if (!isPostgres(dataSource) || tables.length === 0) return;
  await dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL default_statistics_target = ${SKETCH_STATISTICS_TARGET}`);
    await manager.query(`ANALYZE ${tables.map((name) => `"${name.replace(/"/g, '""')}"`).join(', ')}`);
  });
}

export interface PlannerStatisticsKeeperOptions {
  periodMs?: number;
  onAnalyzed?: (tables: string[]) => void;
  /**
   * The first failed round of a run of failures (the database down, say): reported once, and the
   * next round tried all the same — stale statistics cost speed, not data.
   */
  onError?: (error: unknown) => void;
}

/** Runs `analyzeGrownTables` every few seconds while a process writes the read model. */
export class PlannerStatisticsKeeper {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: PlannerStatisticsKeeperOptions = {},
  ) {}

  start(): void {
    if (this.timer || !isPostgres(this.dataSource)) return;
    this.timer = setInterval(() => {
      this.round ??= this.analyze().finally(() => (this.round = null));
    }, this.options.periodMs ?? DEFAULT_PERIOD_MS);
    this.timer.unref();
  }

  /** Stops, after the round in progress: the data source may close once this resolves. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
  }

  private async analyze(): Promise<void> {
    try {
      const tables = await analyzeGrownTables(this.dataSource);
      this.failing = false;
      if (tables.length > 0) this.options.onAnalyzed?.(tables);
    } catch (error) {
      if (!this.failing) this.options.onError?.(error);
      this.failing = true;
    }
  }
}
