import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openReadModel } from '../read-model.data-source';

export interface TestReadModel {
  dataSource: DataSource;
  /** The PostgreSQL schema the read model lives in; undefined on SQLite. */
  schema?: string;
  close(): Promise<void>;
}

/**
 * A migrated read model for a spec: SQLite in memory, or a fresh PostgreSQL schema (named after
 * `schemaPrefix`) on DATABASE_URL that `close` drops.
 */
export async function openTestReadModel(dialect: 'sqlite' | 'postgres', schemaPrefix: string): Promise<TestReadModel> {
  if (dialect === 'sqlite') {
    const dataSource = await openReadModel({ url: ':memory:' });
    return { dataSource, close: () => dataSource.destroy() };
  }
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set: start the services with deploy/local/up.sh');
  const schema = `${schemaPrefix}_${randomBytes(5).toString('hex')}`;
  const dataSource = await openReadModel({ url, schema, poolSize: 2 });
  return {
    dataSource,
    schema,
    close: async () => {
      await dataSource.destroy();
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
