/**
 * `co`, `sw` and `ew` compile to different SQL per store (`instr` on SQLite, an escaped LIKE pattern
 * on PostgreSQL): both must select what the in-memory evaluator selects, whatever LIKE's wildcards
 * and escape character the values and the filter hold, on columns, child tables and JSON.
 */
import { compileFilterToSql, createDefaultSchemaRegistry, DEFAULT_USER_SQL_MAPPING, evaluateFilter, parseFilter, USER_SCHEMA } from '@axis/scim';
import type { DataSource } from 'typeorm';
import { MemberEmailRecord, MemberRecord } from '../entities';
import { aStoredMember } from '../testing/member-rows';
import { openTestReadModel } from '../testing/test-read-model';
import { memberEmailsOf } from './member-columns';
import { MEMBER_SEARCH_PARAM_OFFSET, searchMembers } from './member-search.query';

const users = createDefaultSchemaRegistry().forResourceType('User');

const NAMES = ['a%b', 'a_b', 'axb', 'a\\b', 'A%B', '%', '_x_', 'ab\\', 'plain'];
const RESOURCES = NAMES.map((name, index) => ({
  userName: `user-${name}`,
  displayName: name,
  title: name,
  emails: [{ value: `${name}@example.com`, type: index % 2 === 0 ? 'work' : 'home' }],
}));

/** SCIM string literals: a backslash and a quote are escaped inside the filter's JSON string. */
const LITERALS = ['%', '_', '\\\\', 'a%', 'a_', '%b', '_b', 'b\\\\', 'x', '', 'A%B', '%@'];
const FILTERS = LITERALS.flatMap((literal) =>
  ['co', 'sw', 'ew'].flatMap((operator) => [
    `displayName ${operator} "${literal}"`,
    `userName ${operator} "${literal}"`,
    `emails.value ${operator} "${literal}"`,
    `title ${operator} "${literal}"`,
  ]),
);

describe.each(['sqlite', 'postgres'] as const)('co, sw and ew on %s', (dialect) => {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await openTestReadModel(dialect, 'rm_string_ops'));
    for (const [index, resource] of RESOURCES.entries()) {
      const id = `m${index}`;
      const day = String(index + 1).padStart(2, '0');
      await dataSource.getRepository(MemberRecord).save(aStoredMember(id, resource, `2024-01-${day}T00:00:00.000Z`));
      await dataSource.getRepository(MemberEmailRecord).insert(memberEmailsOf(id, 'ws', resource));
    }
  });
  afterAll(async () => close?.());

  it('selects what the evaluator selects for every operator, literal and column kind', async () => {
    const disagreements: string[] = [];
    for (const filter of FILTERS) {
      const ast = parseFilter(filter, users);
      const expected = RESOURCES.map((resource, index) => ({ schemas: [USER_SCHEMA], id: `m${index}`, ...resource }))
        .filter((resource) => evaluateFilter(ast, resource))
        .map((resource) => resource.id);
      const where = compileFilterToSql(ast, DEFAULT_USER_SQL_MAPPING, { dialect, paramOffset: MEMBER_SEARCH_PARAM_OFFSET, workspaceId: 'ws' });
      const page = await searchMembers(dataSource, { workspaceId: 'ws', source: 'scim', where, offset: 0, limit: 50 });
      const actual = page.rows.map((row) => row.id);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) disagreements.push(`${filter}: evaluator ${expected.join(',')} | sql ${actual.join(',')}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('has a corpus where wildcards would match more than the literal does', () => {
    const matches = (filter: string) => RESOURCES.filter((resource) => evaluateFilter(parseFilter(filter, users), { schemas: [USER_SCHEMA], id: 'x', ...resource })).length;
    expect(matches('displayName co "_"')).toBe(2);
    expect(matches('displayName sw "a%"')).toBe(2);
  });
});
