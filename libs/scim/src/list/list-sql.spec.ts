import { DEFAULT_USER_SQL_MAPPING } from '../filter/sql-mapping';
import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { parseListQuery } from './list-request';
import { compileListRequestToSql } from './list-sql';

const users = createDefaultSchemaRegistry().forResourceType('User');

describe('compileListRequestToSql', () => {
  it('numbers the sort parameters after the filter’s, after the store’s own', () => {
    const request = parseListQuery({ filter: 'userName eq "Ada"', sortBy: 'title', startIndex: '21', count: '10' });

    const query = compileListRequestToSql(request, users, DEFAULT_USER_SQL_MAPPING, { dialect: 'postgres', paramOffset: 2 });

    expect(query.where).toEqual({ sql: expect.stringContaining('$3'), params: ['ada'] });
    expect(query.orderBy?.params).toEqual([['title']]);
    expect(query.orderBy?.sql).toContain('$4');
    expect({ offset: query.offset, limit: query.limit }).toEqual({ offset: 20, limit: 10 });
  });

  it('leaves out what the request does not ask for', () => {
    const query = compileListRequestToSql(parseListQuery({}), users, DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' });

    expect(query).not.toHaveProperty('where');
    expect(query).not.toHaveProperty('orderBy');
  });
});
