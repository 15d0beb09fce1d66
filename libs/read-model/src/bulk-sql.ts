import type { EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { dataSourceOf, type Db, isPostgres, placeholder, queryRows } from './search-sql';

/*
 * Batched reads and writes of whole read-model rows as plain parameterised SQL, for the hot paths
 * of the projections and reactors: TypeORM's query builders spend more CPU naming, escaping and
 * re-scanning the parameters of a multi-row statement than the database spends running it.
 * Table and column names come from the entity's metadata and every value goes through TypeORM's
 * driver conversion (transformers, SQLite's 0/1 booleans), so a row is stored and read back
 * exactly as a repository would store and read it.
 */

/**
 * Bound parameters per statement: far below SQLite's 32,766, so that a big batch is written in
 * statements of one shape that better-sqlite3's statement cache keeps prepared.
 */
const MAX_PARAMETERS = 3000;

/**
 * Statements hold a power-of-two number of rows (or ids): a batch of any size is then written with
 * a handful of statement shapes per table, which the driver's statement cache keeps prepared. With
 * one shape per batch size, every batch prepared (and cached, crowding out the rest) a statement of
 * up to 3,000 parameters.
 */
function powerOfTwoAtMost(limit: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, limit)));
}

interface Table {
  metadata: EntityMetadata;
  driver: Driver;
  param: (index: number) => string;
  name: string;
  columns: readonly ColumnMetadata[];
  /** The quoted column names, in `columns` order. */
  columnList: string;
}

const tables = new WeakMap<EntityMetadata, Table>();

function tableOf(db: Db, entity: EntityTarget<ObjectLiteral>): Table {
  const dataSource = dataSourceOf(db);
  const metadata = dataSource.getMetadata(entity);
  let table = tables.get(metadata);
  if (!table) {
    table = {
      metadata,
      driver: dataSource.driver,
      param: placeholder(isPostgres(db)),
      name: quote(metadata.tableName),
      columns: metadata.columns,
      columnList: metadata.columns.map((column) => quote(column.databaseName)).join(', '),
    };
    tables.set(metadata, table);
  }
  return table;
}

/** Always quoted: `primary` (a member email column) is a keyword on both dialects. */
function quote(identifier: string): string {
  return `"${identifier}"`;
}

function columnOf(table: Table, property: string): ColumnMetadata {
  const column = table.columns.find((candidate) => candidate.propertyName === property);
  if (!column) throw new Error(`${table.metadata.tableName} has no column for property ${property}`);
  return column;
}

export interface InsertRowsOptions<Entity> {
  /**
   * `ignore`: a row that would violate a unique constraint is skipped (`ON CONFLICT DO NOTHING`);
   * `{ updateOn }`: a row whose key is stored already replaces every other column of that row.
   * Without it a conflict fails the statement.
   */
  onConflict?: 'ignore' | { updateOn: ReadonlyArray<keyof Entity & string> };
}

/** Inserts complete entity rows by multi-row `INSERT … VALUES`, as few statements as the parameter limit allows. */
export async function insertRows<Entity extends ObjectLiteral>(
  db: Db,
  entity: EntityTarget<Entity>,
  rows: readonly Entity[],
  options: InsertRowsOptions<Entity> = {},
): Promise<void> {
  if (rows.length === 0) return;
  const table = tableOf(db, entity);
  const conflict = conflictClause(table, options.onConflict);
  const maxRowsPerStatement = powerOfTwoAtMost(MAX_PARAMETERS / table.columns.length);
  for (let start = 0; start < rows.length; ) {
    const rowsInStatement = Math.min(maxRowsPerStatement, powerOfTwoAtMost(rows.length - start));
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(start, (start += rowsInStatement))) {
      const slots: string[] = [];
      for (const column of table.columns) {
        const value: unknown = table.driver.preparePersistentValue(column.getEntityValue(row), column);
        // A repository would write the column's default; no caller relies on that, so a missing value is a bug.
        if (value === undefined) throw new Error(`insertRows: ${table.metadata.tableName}.${column.databaseName} has no value`);
        params.push(value);
        slots.push(table.param(params.length));
      }
      tuples.push(`(${slots.join(', ')})`);
    }
    await queryRows(db, `INSERT INTO ${table.name} (${table.columnList}) VALUES ${tuples.join(', ')}${conflict}`, params);
  }
}

function conflictClause<Entity>(table: Table, onConflict: InsertRowsOptions<Entity>['onConflict']): string {
  if (onConflict === undefined) return '';
  if (onConflict === 'ignore') return ' ON CONFLICT DO NOTHING';
  const key = onConflict.updateOn.map((property) => columnOf(table, property));
  const target = key.map((column) => quote(column.databaseName)).join(', ');
  const updated = table.columns.filter((column) => !key.includes(column)).map((column) => quote(column.databaseName));
  if (updated.length === 0) return ` ON CONFLICT (${target}) DO NOTHING`;
  return ` ON CONFLICT (${target}) DO UPDATE SET ${updated.map((column) => `${column} = excluded.${column}`).join(', ')}`;
}

/**
 * Whole rows, hydrated as a repository's `find` hydrates them. `tail` is the SQL after
 * `FROM <table>` (WHERE, ORDER BY …) with the dialect's placeholders.
 */
export async function selectRows<Entity extends ObjectLiteral>(db: Db, entity: EntityTarget<Entity>, tail = '', params: readonly unknown[] = []): Promise<Entity[]> {
  const table = tableOf(db, entity);
  const raws = await queryRows(db, `SELECT ${table.columnList} FROM ${table.name} ${tail}`, params);
  return raws.map((raw) => {
    const row = table.metadata.create(undefined, { fromDeserializer: true }) as Entity;
    for (const column of table.columns) column.setEntityValue(row, table.driver.prepareHydratedValue(raw[column.databaseName], column));
    return row;
  });
}

/** The rows whose `property` is one of `values`. */
export async function selectRowsWhereIn<Entity extends ObjectLiteral>(db: Db, entity: EntityTarget<Entity>, property: keyof Entity & string, values: readonly unknown[]): Promise<Entity[]> {
  const rows: Entity[] = [];
  for (const { condition, params } of inLists(tableOf(db, entity), property, values)) rows.push(...(await selectRows(db, entity, `WHERE ${condition}`, params)));
  return rows;
}

/** Deletes the rows whose `property` is one of `values`. */
export async function deleteRowsWhereIn<Entity extends ObjectLiteral>(db: Db, entity: EntityTarget<Entity>, property: keyof Entity & string, values: readonly unknown[]): Promise<void> {
  const table = tableOf(db, entity);
  for (const { condition, params } of inLists(table, property, values)) await queryRows(db, `DELETE FROM ${table.name} WHERE ${condition}`, params);
}

/** `column IN (…)` conditions over `values`, one per statement's worth of parameters. */
function* inLists(table: Table, property: string, values: readonly unknown[]): Generator<{ condition: string; params: unknown[] }> {
  const column = columnOf(table, property);
  const maxValuesPerStatement = powerOfTwoAtMost(MAX_PARAMETERS);
  for (let start = 0; start < values.length; start += maxValuesPerStatement) {
    const chunk = values.slice(start, start + maxValuesPerStatement);
    // Padded with its last value (IN ignores repeats) to a power of two: few statement shapes.
    const padded = [...chunk, ...Array<unknown>(2 ** Math.ceil(Math.log2(chunk.length)) - chunk.length).fill(chunk.at(-1))];
    const params = padded.map((value) => table.driver.preparePersistentValue(value, column) as unknown);
    yield { condition: `${quote(column.databaseName)} IN (${params.map((_, index) => table.param(index + 1)).join(', ')})`, params };
  }
}
