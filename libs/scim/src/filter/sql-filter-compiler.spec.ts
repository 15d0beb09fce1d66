import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { ENTERPRISE_USER_SCHEMA } from '../schemas/schema-uris';
import { ScimError } from '../errors/scim-error';
import { compileSortToSql, resolveSortBy } from '../list/sort-resolver';
import { parseFilter } from './filter-parser';
import { compileFilterToSql } from './sql-filter-compiler';
import { DEFAULT_GROUP_SQL_MAPPING, DEFAULT_USER_SQL_MAPPING, SqlResourceMapping } from './sql-mapping';

const registry = createDefaultSchemaRegistry();
const users = registry.forResourceType('User');
const groups = registry.forResourceType('Group');

const pg = (filter: string, paramOffset = 0) => compileFilterToSql(parseFilter(filter, users), DEFAULT_USER_SQL_MAPPING, { dialect: 'postgres', paramOffset });
const lite = (filter: string) => compileFilterToSql(parseFilter(filter, users), DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' });

describe('SQL compiler output shape', () => {
  it.each([
    ['userName eq "Bjensen"', '"m"."user_name_lc" = $1', ['bjensen']],
    ['externalId eq "ABC"', '"m"."external_id" = $1', ['ABC']],
    ['active eq false', '"m"."active" = $1', [false]],
    ['userName ne "x"', 'NOT COALESCE("m"."user_name_lc" = $1, FALSE)', ['x']],
    ['displayName co "ab"', 'lower("m"."display_name") LIKE $1', ['%ab%']],
    ['userName sw "a%b_c\\\\"', '"m"."user_name_lc" LIKE $1', ['a\\%b\\_c\\\\%']],
    ['userName ew "ab"', '"m"."user_name_lc" LIKE $1', ['%ab']],
    ['userName gt "ab"', '"m"."user_name_lc" COLLATE "C" > $1', ['ab']],
    ['meta.created ge "2020-01-01T00:00:00Z"', '"m"."created_at" COLLATE "C" >= $1', ['2020-01-01T00:00:00.000Z']],
    ['title pr', `("m"."resource" #>> $1::text[]) <> ''`, [['title']]],
    [`${ENTERPRISE_USER_SCHEMA}:manager.value eq "M1"`, '("m"."resource" #>> $1::text[]) = $2', [[ENTERPRISE_USER_SCHEMA, 'manager', 'value'], 'M1']],
    [
      'emails[type eq "work"].value eq "A@X.io"',
      'EXISTS (SELECT 1 FROM "member_emails" AS "e" WHERE "e"."member_id" = "m"."id" AND (lower("e"."type") = $1 AND "e"."value_lc" = $2))',
      ['work', 'a@x.io'],
    ],
  ])('postgres: %s', (filter, sql, params) => {
    expect(pg(filter)).toEqual({ sql, params });
  });

  it.each([
    ['userName eq "Bjensen"', '"m"."user_name_lc" = ?', ['bjensen']],
    ['active eq true', '"m"."active" = ?', [1]],
    ['userName ew "ab"', 'substr("m"."user_name_lc", -length(?)) = ?', ['ab', 'ab']],
    ['department eq "Ops"', 'lower(json_extract("m"."resource", ?)) = ?', [`$."${ENTERPRISE_USER_SCHEMA}"."department"`, 'ops']],
    ['emails eq "A@x.io"', '"m"."id" IN (SELECT "e"."member_id" FROM "member_emails" AS "e" WHERE "e"."value_lc" = ?)', ['a@x.io']],
  ])('sqlite: %s', (filter, sql, params) => {
    expect(lite(filter)).toEqual({ sql, params });
  });

  it('numbers PostgreSQL placeholders after an offset', () => {
    expect(pg('userName eq "a" and externalId eq "b"', 3)).toEqual({ sql: '("m"."user_name_lc" = $4 AND "m"."external_id" = $5)', params: ['a', 'b'] });
  });

  it('falls back to JSON for multi-valued attributes without a child table', () => {
    const { sql, params } = pg('phoneNumbers[type eq "work"]');
    expect(sql).toContain('jsonb_array_elements');
    expect(params).toEqual([['phoneNumbers'], 'type', 'work']);
    expect(lite('phoneNumbers[type eq "work"]').sql).toContain('json_each');
    expect(lite('emails[display eq "x"]').sql).toContain('json_each');
  });

  it('never puts filter input into the SQL text', () => {
    const hostile = `"'; DROP TABLE members; --"`;
    for (const filter of [`userName eq ${hostile}`, `title co ${hostile}`, `emails[type eq ${hostile}]`, `emails[display eq ${hostile}]`]) {
      for (const { sql, params } of [pg(filter), lite(filter)]) {
        expect(sql).not.toContain('DROP');
        expect(JSON.stringify(params).toUpperCase()).toContain('DROP');
      }
    }
  });

  it('compiles group member filters to group_members', () => {
    const { sql, params } = compileFilterToSql(parseFilter('members[value eq "u1"]', groups), DEFAULT_GROUP_SQL_MAPPING, { dialect: 'postgres' });
    expect(sql).toBe('EXISTS (SELECT 1 FROM "group_members" AS "gm" WHERE "gm"."group_id" = "g"."id" AND "gm"."member_id" = $1)');
    expect(params).toEqual(['u1']);
  });

  it('reads only the searched workspace’s elements, its id bound before the element filter', () => {
    const withWorkspace = (filter: string) => compileFilterToSql(parseFilter(filter, users), DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite', workspaceId: 'ws-1' });
    // Pinned by an indexed eq: the few parents through the (workspace, value) index.
    expect(withWorkspace('emails[value eq "A@x.io" and type eq "work"]')).toEqual({
      sql: '"m"."id" IN (SELECT "e"."member_id" FROM "member_emails" AS "e" WHERE "e"."workspace_id" = ? AND ("e"."value_lc" = ? AND lower("e"."type") = ?))',
      params: ['ws-1', 'a@x.io', 'work'],
    });
    // Anything else: each member's own elements, never a seek of the workspace's elements per member.
    expect(withWorkspace('emails.value co "x" and emails.type eq "work"')).toEqual({
      sql:
        '(EXISTS (SELECT 1 FROM "member_emails" AS "e" WHERE "e"."member_id" = "m"."id" AND +"e"."workspace_id" = ? AND instr("e"."value_lc", ?) > 0) AND ' +
        'EXISTS (SELECT 1 FROM "member_emails" AS "e" WHERE "e"."member_id" = "m"."id" AND +"e"."workspace_id" = ? AND lower("e"."type") = ?))',
      params: ['ws-1', 'x', 'ws-1', 'work'],
    });
    expect(withWorkspace('emails[value eq "a" or value co "b"]').sql).toContain('EXISTS');
    expect(pg('emails[primary eq true]', 2).sql).toBe('EXISTS (SELECT 1 FROM "member_emails" AS "e" WHERE "e"."member_id" = "m"."id" AND "e"."primary" = $3)');
  });

  it('reads a child table once for an OR of its value filters, and for an AND of their negations', () => {
    const withWorkspace = (filter: string) => compileFilterToSql(parseFilter(filter, users), DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite', workspaceId: 'ws-1' });
    expect(withWorkspace('emails[value co "1"] or userName eq "a" or emails.type eq "work"')).toEqual({
      sql:
        '(EXISTS (SELECT 1 FROM "member_emails" AS "e" WHERE "e"."member_id" = "m"."id" AND +"e"."workspace_id" = ? AND (instr("e"."value_lc", ?) > 0 OR lower("e"."type") = ?)) OR ' +
        '"m"."user_name_lc" = ?)',
      params: ['ws-1', '1', 'work', 'a'],
    });
    expect(pg('not (emails.value sw "a") and active eq true and not (emails[type eq "work"])')).toEqual({
      sql:
        '(NOT COALESCE(EXISTS (SELECT 1 FROM "member_emails" AS "e" WHERE "e"."member_id" = "m"."id" AND ("e"."value_lc" LIKE $1 OR lower("e"."type") = $2)), FALSE) AND ' +
        '"m"."active" = $3)',
      params: ['a%', 'work', true],
    });
  });

  it('keeps apart the value filters that may need different elements, or different tables', () => {
    const scans = (filter: string) => pg(filter).sql.split('SELECT').length - 1;
    expect(scans('emails[value co "a"] and emails[type eq "work"]')).toBe(2);
    expect(scans('not (emails.value co "a") or not (emails.type eq "work")')).toBe(2);
    expect(scans('emails.value co "a" or phoneNumbers.value co "a"')).toBe(2);
    expect(scans('emails.value co "a" or emails[display eq "x"]')).toBe(2);
  });

  it('uses timestamptz comparisons when the mapping says so', () => {
    const mapping: SqlResourceMapping = { ...DEFAULT_USER_SQL_MAPPING, columns: { ...DEFAULT_USER_SQL_MAPPING.columns, 'meta.created': { column: 'created_at', postgresTimestamp: true } } };
    const { sql } = compileFilterToSql(parseFilter('meta.created gt "2020-01-01T00:00:00Z"', users), mapping, { dialect: 'postgres' });
    expect(sql).toBe('"m"."created_at" > CAST($1 AS timestamptz)');
  });

  it('rejects mappings whose names are not plain identifiers', () => {
    const bad: SqlResourceMapping = { ...DEFAULT_USER_SQL_MAPPING, table: 'members; drop' };
    expect(() => compileFilterToSql(parseFilter('title pr', users), bad, { dialect: 'sqlite' })).toThrow(TypeError);
  });

  it('compiles sortBy with nulls last and an id tiebreaker', () => {
    expect(compileSortToSql(resolveSortBy('userName', users), 'descending', DEFAULT_USER_SQL_MAPPING, { dialect: 'postgres' })).toEqual({
      sql: '"m"."user_name_lc" COLLATE "C" DESC NULLS LAST, "m"."id" ASC',
      params: [],
    });
    expect(compileSortToSql(undefined, 'ascending', DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' }).sql).toBe('"m"."id" ASC');
    expect(() => resolveSortBy('nope', users)).toThrow(ScimError);
    expect(() => resolveSortBy('password', users)).toThrow(ScimError);
    expect(() => compileSortToSql(resolveSortBy('phoneNumbers', users), 'ascending', DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' })).toThrow(ScimError);
  });

  it('collates only text when sorting by a multi-valued sub-attribute (emails.primary was a 500 on PostgreSQL)', () => {
    const byPrimary = compileSortToSql(resolveSortBy('emails.primary', users), 'ascending', DEFAULT_USER_SQL_MAPPING, { dialect: 'postgres' }).sql;
    expect(byPrimary).not.toContain('COLLATE');
    const byValue = compileSortToSql(resolveSortBy('emails.value', users), 'ascending', DEFAULT_USER_SQL_MAPPING, { dialect: 'postgres' }).sql;
    expect(byValue).toContain('COLLATE "C"');
  });
});
