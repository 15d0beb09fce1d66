import type { DataSource } from 'typeorm';
import { openReadModel } from '../read-model.data-source';
import { scimRequestLogContract } from './testing/scim-request-log.contract';

describe('the SCIM request log on SQLite', () => {
  scimRequestLogContract(async () => {
    const dataSource: DataSource = await openReadModel({ url: ':memory:' });
    return { dataSource, close: () => dataSource.destroy() };
  });
});
