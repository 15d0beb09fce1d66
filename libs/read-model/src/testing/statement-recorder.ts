import type { Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { postgresPoolOf, sqliteConnectionOf } from '../search-sql';

export interface SentStatement {
  sql: string;
  params: unknown[];
}

/**
 * Records every statement the read model sends from now on, whichever way it goes: on SQLite each
 * execution of a better-sqlite3 statement (TypeORM's and `queryRows`' alike), on PostgreSQL each
 * query of the pool, named statements included.
 */
export function recordStatements(dataSource: DataSource): { sent: SentStatement[]; restore(): void } {
  const sent: SentStatement[] = [];
  if (dataSource.options.type === 'postgres') {
    const spy = jest.spyOn(postgresPoolOf(dataSource), 'query');
    return {
      get sent() {
        return spy.mock.calls.map(([config, values]) =>
          typeof config === 'string'
            ? { sql: config, params: (values ?? []) as unknown[] }
            : { sql: (config as { text: string }).text, params: ((config as { values?: unknown[] }).values ?? []) as unknown[] },
        );
      },
      restore: () => spy.mockRestore(),
    };
  }
  const statementPrototype = Object.getPrototypeOf(sqliteConnectionOf(dataSource).prepare('SELECT 1')) as Statement;
  const spies = (['all', 'get', 'run', 'iterate'] as const).map((method) => {
    const original = statementPrototype[method] as (...params: unknown[]) => unknown;
    return jest.spyOn(statementPrototype, method).mockImplementation(function (this: Statement, ...params: unknown[]) {
      sent.push({ sql: this.source, params });
      return original.apply(this, params) as never;
    });
  });
  return { sent, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
