import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The integration database, or a failure telling how to get one: integration tests never pass silently. */
export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: start services with deploy/local/up.sh, then run with ' +
        'DATABASE_URL=postgres://axis:axis@127.0.0.1:5432/axis',
    );
  }
  return url;
}

/** A schema name no other test worker uses. */
export function randomSchemaName(prefix = 'es'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
