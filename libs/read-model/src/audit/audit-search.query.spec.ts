import type { DataSource } from 'typeorm';
import { AuditEntryRecord } from '../entities';
import { openReadModel } from '../read-model.data-source';
import { auditSearchContract } from './testing/audit-search.contract';

describe('searchAuditEntries on SQLite', () => {
  auditSearchContract(async () => {
    const dataSource: DataSource = await openReadModel({ url: ':memory:' });
    return { dataSource, close: () => dataSource.destroy() };
  });

  it('has an entity for the table it reads', () => {
    expect(AuditEntryRecord.name).toBe('AuditEntryRecord');
  });
});
