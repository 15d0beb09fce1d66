import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openReadModel } from '../read-model.data-source';
import { auditSearchContract } from './testing/audit-search.contract';

describe('searchAuditEntries on PostgreSQL', () => {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set: start the services with deploy/local/up.sh');
  auditSearchContract(async () => {
    const schema = `rm_audit_${randomBytes(5).toString('hex')}`;
    const dataSource: DataSource = await openReadModel({ url, schema, poolSize: 2 });
    return {
      dataSource,
      close: async () => {
        await dataSource.destroy();
        const client = new Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  });
});
