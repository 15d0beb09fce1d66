/**
 * Custom attributes live in the `resource` JSON under the extension URN, whose dots and colons
 * must survive both JSON path syntaxes: the SCIM filter compiler's SQL and the stored-value query
 * agree with the in-memory evaluator on PostgreSQL (jsonb) and SQLite (JSON text).
 */
import { AXIS_USER_EXTENSION_SCHEMA as X, compileFilterToSql, compileListRequestToSql, DEFAULT_USER_SQL_MAPPING, evaluateFilter, parseFilter, USER_SCHEMA } from '@axis/scim';
import { customUserRegistry } from '@axis/scim/testing';
import type { DataSource } from 'typeorm';
import { GroupMemberRecord, GroupRecord, MemberRecord } from '../entities';
import { aStoredMember } from '../testing/member-rows';
import { openTestReadModel } from '../testing/test-read-model';
import { memberColumnsOf } from './member-columns';
import { storedAttributeValues } from './member-attribute-values.query';
import { MEMBER_SEARCH_PARAM_OFFSET, searchMembers } from './member-search.query';

const users = customUserRegistry().forResourceType('User');

const RESOURCES: Array<Record<string, unknown>> = [
  { userName: 'a', [X]: { costCode: 'CC-1.2:3', badge: 'Gold', seats: 2, rate: 1.5, remote: true, startDate: '2024-01-02T03:04:05.000Z', tags: ['Blue', 'red'], scores: [1, 3] } },
  { userName: 'b', [X]: { costCode: 'cc-9', badge: 'gold', seats: 10, remote: false, tags: ['green'] } },
  { userName: 'c', [X]: { homePage: 'https://example.com/c', scores: [2] } },
  { userName: 'd' },
];

const FILTERS = [
  `${X}:costCode eq "CC-1.2:3"`,
  `${X}:costCode sw "cc"`,
  `${X}:badge eq "gold"`,
  `${X}:seats gt 2`,
  `${X}:seats le 2 or ${X}:rate ge 1.5`,
  `${X}:remote eq false`,
  `${X}:startDate lt "2025-01-01T00:00:00Z"`,
  `${X}:tags eq "blue"`,
  `${X}:tags co "e"`,
  `not (${X}:tags pr)`,
  `${X}:scores ge 3`,
  `${X}:scores eq 2 and userName eq "c"`,
  `${X}:homePage ew "/c"`,
  `${X}:costCode ne "cc-9"`,
  'costCode pr',
];

describe.each(['sqlite', 'postgres'] as const)('custom attributes in the read model on %s', (dialect) => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  const ids: string[] = [];

  beforeAll(async () => {
    ({ dataSource, close } = await openTestReadModel(dialect, 'rm_custom'));
    for (const [index, resource] of RESOURCES.entries()) {
      const id = `m${index}`;
      ids.push(id);
      await dataSource.getRepository(MemberRecord).save(aStoredMember(id, resource, `2024-01-0${index + 1}T00:00:00.000Z`));
    }
    // Another workspace's value never shows.
    await dataSource.getRepository(MemberRecord).insert({ id: 'other', workspaceId: 'ws2', ...memberColumnsOf({ userName: 'z' }), active: true, source: 'scim', resource: { userName: 'z', [X]: { costCode: 'CC-1.2:3' } }, revision: 0, createdAt: 'x', updatedAt: 'x' });
  });
  afterAll(async () => close?.());

  it.each(FILTERS)('%s selects what the evaluator selects', async (filter) => {
    const ast = parseFilter(filter, users);
    const expected = RESOURCES.map((resource, index) => ({ schemas: [USER_SCHEMA, X], id: ids[index], ...resource })).filter((resource) => evaluateFilter(ast, resource)).map((resource) => resource.id);
    const where = compileFilterToSql(ast, DEFAULT_USER_SQL_MAPPING, { dialect, paramOffset: MEMBER_SEARCH_PARAM_OFFSET });
    const page = await searchMembers(dataSource, { workspaceId: 'ws', source: 'scim', where, offset: 0, limit: 10 });
    expect(page.rows.map((row) => row.id)).toEqual(expected);
    expect(expected.length).toBeLessThan(RESOURCES.length);
  });

  it('returns each member of a sorted page with its groups, ordered by display name', async () => {
    const group = (id: string, displayName: string) => ({ id, workspaceId: 'ws', displayName, displayNameLc: displayName.toLowerCase(), externalId: null, resource: { displayName }, revision: 0, createdAt: 'x', updatedAt: 'x' });
    await dataSource.getRepository(GroupRecord).insert([group('g-b', 'Beta'), group('g-a', 'alpha'), group('g-other', 'Other')]);
    await dataSource.getRepository(GroupMemberRecord).insert([
      { groupId: 'g-b', memberId: 'm1', workspaceId: 'ws' },
      { groupId: 'g-a', memberId: 'm1', workspaceId: 'ws' },
      { groupId: 'g-b', memberId: 'm0', workspaceId: 'ws' },
    ]);
    const query = compileListRequestToSql({ sortBy: `${X}:seats`, sortOrder: 'descending', startIndex: 1, count: 2 }, users, DEFAULT_USER_SQL_MAPPING, { dialect, paramOffset: MEMBER_SEARCH_PARAM_OFFSET });

    const page = await searchMembers(dataSource, { workspaceId: 'ws', source: 'scim', ...query });
    const byId = await searchMembers(dataSource, { workspaceId: 'ws', source: 'scim', where: compileFilterToSql(parseFilter('userName eq "c"', users), DEFAULT_USER_SQL_MAPPING, { dialect, paramOffset: MEMBER_SEARCH_PARAM_OFFSET }), offset: 0, limit: 10 });

    expect(page.rows.map((row) => [row.id, row.groups])).toEqual([
      ['m1', [{ id: 'g-a', displayName: 'alpha' }, { id: 'g-b', displayName: 'Beta' }]],
      ['m0', [{ id: 'g-b', displayName: 'Beta' }]],
    ]);
    expect(page.total).toBe(4);
    expect(byId.rows.map((row) => [row.id, row.groups])).toEqual([['m2', []]]);
  });

  it('reads stored values of one attribute as JSON, a page at a time', async () => {
    expect(await storedAttributeValues(dataSource, { workspaceId: 'ws', keys: [X, 'tags'], limit: 10 })).toEqual([
      { memberId: 'm0', value: ['Blue', 'red'] },
      { memberId: 'm1', value: ['green'] },
    ]);
    expect(await storedAttributeValues(dataSource, { workspaceId: 'ws', keys: [X, 'seats'], afterId: 'm0', limit: 10 })).toEqual([{ memberId: 'm1', value: 10 }]);
    expect(await storedAttributeValues(dataSource, { workspaceId: 'ws', keys: [X, 'remote'], limit: 1 })).toEqual([{ memberId: 'm0', value: true }]);
    expect(await storedAttributeValues(dataSource, { workspaceId: 'ws', keys: [X, 'costCode'], limit: 10 })).toEqual([
      { memberId: 'm0', value: 'CC-1.2:3' },
      { memberId: 'm1', value: 'cc-9' },
    ]);
  });
});
