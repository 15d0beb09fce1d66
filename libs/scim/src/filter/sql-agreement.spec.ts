import Database from 'better-sqlite3';
import fc from 'fast-check';
import { createResourceComparator, compileSortToSql, resolveSortBy, SortOrder } from '../list/sort-resolver';
import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { JsonObject } from '../schemas/resource-access';
import { AXIS_USER_EXTENSION_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../schemas/schema-uris';
import { customUserRegistry } from '../testing/resource-fixtures';
import { evaluateFilter } from './filter-evaluator';
import { parseFilter } from './filter-parser';
import { compileFilterToSql } from './sql-filter-compiler';
import { DEFAULT_GROUP_SQL_MAPPING, DEFAULT_USER_SQL_MAPPING, SqlParam } from './sql-mapping';

const registry = createDefaultSchemaRegistry();
const users = registry.forResourceType('User');
const groups = registry.forResourceType('Group');
const E = ENTERPRISE_USER_SCHEMA;

/** The read-model layout the compiler targets (SQLite flavour). */
const SCHEMA_SQL = `
  CREATE TABLE members (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, user_name TEXT, user_name_lc TEXT, external_id TEXT,
    display_name TEXT, active INTEGER, given_name TEXT, family_name TEXT, created_at TEXT, updated_at TEXT, resource TEXT NOT NULL);
  CREATE TABLE member_emails (member_id TEXT NOT NULL, workspace_id TEXT NOT NULL, value TEXT, value_lc TEXT, type TEXT, "primary" INTEGER);
  CREATE TABLE groups (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, display_name TEXT, display_name_lc TEXT, external_id TEXT,
    created_at TEXT, updated_at TEXT, resource TEXT NOT NULL);
  CREATE TABLE group_members (group_id TEXT NOT NULL, member_id TEXT NOT NULL, workspace_id TEXT NOT NULL);
`;

type Row = Record<string, string | number | null>;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function openDatabase(userResources: JsonObject[], groupResources: JsonObject[] = []): Database.Database {
  const db = new Database(':memory:');
  db.exec(SCHEMA_SQL);
  const insertMember = db.prepare(
    `INSERT INTO members VALUES (@id, 'ws', @user_name, @user_name_lc, @external_id, @display_name, @active, @given_name, @family_name, @created_at, @updated_at, @resource)`,
  );
  const insertEmail = db.prepare(`INSERT INTO member_emails VALUES (@member_id, 'ws', @value, @value_lc, @type, @primary)`);
  for (const r of userResources) {
    const name = (r['name'] ?? {}) as JsonObject;
    const meta = (r['meta'] ?? {}) as JsonObject;
    const row: Row = {
      id: r['id'] as string,
      user_name: str(r['userName']),
      user_name_lc: str(r['userName'])?.toLowerCase() ?? null,
      external_id: str(r['externalId']),
      display_name: str(r['displayName']),
      active: typeof r['active'] === 'boolean' ? (r['active'] ? 1 : 0) : null,
      given_name: str(name['givenName']),
      family_name: str(name['familyName']),
      created_at: str(meta['created']),
      updated_at: str(meta['lastModified']),
      resource: JSON.stringify(r),
    };
    insertMember.run(row);
    for (const email of (r['emails'] ?? []) as JsonObject[]) {
      insertEmail.run({
        member_id: r['id'],
        value: str(email['value']),
        value_lc: str(email['value'])?.toLowerCase() ?? null,
        type: str(email['type']),
        primary: typeof email['primary'] === 'boolean' ? (email['primary'] ? 1 : 0) : null,
      });
    }
  }
  const insertGroup = db.prepare(`INSERT INTO groups VALUES (@id, 'ws', @display_name, @display_name_lc, @external_id, NULL, NULL, @resource)`);
  const insertMembership = db.prepare(`INSERT INTO group_members VALUES (@group_id, @member_id, 'ws')`);
  for (const g of groupResources) {
    insertGroup.run({
      id: g['id'],
      display_name: str(g['displayName']),
      display_name_lc: str(g['displayName'])?.toLowerCase() ?? null,
      external_id: str(g['externalId']),
      resource: JSON.stringify(g),
    });
    for (const member of (g['members'] ?? []) as JsonObject[]) insertMembership.run({ group_id: g['id'], member_id: member['value'] });
  }
  return db;
}

function queryIds(db: Database.Database, table: string, alias: string, where: string, params: SqlParam[]): string[] {
  const rows = db.prepare(`SELECT "${alias}"."id" AS id FROM "${table}" AS "${alias}" WHERE ${where} ORDER BY "${alias}"."id"`).all(...(params as (string | number)[])) as { id: string }[];
  return rows.map((row) => row.id);
}

// Values without case variants outside ASCII, because SQLite's lower() folds ASCII only (see README).
const POOL = ['a', 'A', 'ab', 'aB', 'ba', 'bA', 'bab', 'b@x.io', 'B@X.io', 'x.io', '', 'ß', 'aß', '日本', '本', '%', '_a', '"q"', 'a\\b', 'work', 'Work'];
const word = fc.constantFrom(...POOL);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const instant = fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2021, 0, 1) }).map((ms) => new Date(ms - (ms % 60000)).toISOString());

function compact(object: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out;
}

const emailArb = fc.record({ value: optional(word), type: optional(word), primary: optional(fc.boolean()) }).map(compact);
const userArb = (id: string) =>
  fc
    .record({
      userName: word,
      externalId: optional(word),
      displayName: optional(word),
      title: optional(word),
      active: optional(fc.boolean()),
      name: optional(fc.record({ givenName: optional(word), familyName: optional(word) }).map(compact)),
      emails: optional(fc.array(emailArb, { maxLength: 3 })),
      phoneNumbers: optional(fc.array(fc.record({ value: optional(word), type: optional(word) }).map(compact), { maxLength: 2 })),
      enterprise: optional(fc.record({ department: optional(word), employeeNumber: optional(word), manager: optional(fc.record({ value: word })) }).map(compact)),
      created: instant,
      lastModified: instant,
    })
    .map(({ enterprise, created, lastModified, ...rest }) =>
      compact({
        schemas: enterprise ? [USER_SCHEMA, E] : [USER_SCHEMA],
        id,
        ...rest,
        [E]: enterprise,
        meta: { resourceType: 'User', created, lastModified },
      }),
    );
const usersArb = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => userArb(`u${i}`))));

const STRING_PATHS = [
  'userName', 'externalId', 'displayName', 'title', 'name.givenName', 'name.familyName', 'id', 'nickName',
  'emails.value', 'emails.type', 'phoneNumbers.value', 'phoneNumbers.type',
  `${E}:department`, `${E}:employeeNumber`, `${E}:manager.value`, 'department',
];
const quoted = word.map((w) => JSON.stringify(w));
const stringLeaf = fc.tuple(fc.constantFrom(...STRING_PATHS), fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Co'), quoted).map(([p, op, v]) => `${p} ${op} ${v}`);
const presentLeaf = fc.constantFrom(...STRING_PATHS, 'active', 'emails', 'name', 'phoneNumbers', 'emails.primary', `${E}:manager`, 'meta.created').map((p) => `${p} pr`);
const boolLeaf = fc.tuple(fc.constantFrom('active', 'emails.primary'), fc.constantFrom('eq', 'ne'), fc.constantFrom('true', 'false')).map(([p, op, v]) => `${p} ${op} ${v}`);
const dateLeaf = fc.tuple(fc.constantFrom('meta.created', 'meta.lastModified'), fc.constantFrom('eq', 'gt', 'ge', 'lt', 'le', 'ne'), instant).map(([p, op, v]) => `${p} ${op} "${v}"`);
const nullLeaf = fc.tuple(fc.constantFrom(...STRING_PATHS), fc.constantFrom('eq', 'ne')).map(([p, op]) => `${p} ${op} null`);
const pingLeaf = quoted.map((v) => `emails eq ${v}`);
const subLeaf = (subs: string[]) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...subs), fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'le'), quoted).map(([p, op, v]) => `${p} ${op} ${v}`),
    fc.constantFrom(...subs).map((p) => `${p} pr`),
  );
const innerFilter = (subs: string[]) =>
  fc.oneof(
    subLeaf(subs),
    fc.tuple(subLeaf(subs), fc.constantFrom('and', 'or'), subLeaf(subs)).map(([a, op, b]) => `${a} ${op} ${b}`),
    subLeaf(subs).map((a) => `not(${a})`),
  );
const emailSubs = ['value', 'type', 'primary eq true', 'primary eq false'].slice(0, 2);
const valuePathLeaf = fc.oneof(
  innerFilter(emailSubs).map((f) => `emails[${f}]`),
  fc.tuple(innerFilter(emailSubs), fc.constantFrom('eq', 'co', 'sw', 'pr'), quoted).map(([f, op, v]) => (op === 'pr' ? `emails[${f}].value pr` : `emails[${f}].value ${op} ${v}`)),
  fc.constantFrom('emails[primary eq true]', 'emails[primary eq false and type eq "work"]', 'emails[display pr]', 'emails[display eq "a"]'),
  innerFilter(['value', 'type']).map((f) => `phoneNumbers[${f}]`),
);
const leaf = fc.oneof(stringLeaf, stringLeaf, presentLeaf, boolLeaf, dateLeaf, nullLeaf, pingLeaf, valuePathLeaf);
const filterArb: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND'), tie('f')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('f').map((a) => `(${a})`),
    tie('f').map((a) => `not (${a})`),
  ),
})).f;

describe('evaluator and SQLite-compiled SQL agree', () => {
  it('on random filters over random users', () => {
    fc.assert(
      fc.property(usersArb, fc.array(filterArb, { minLength: 1, maxLength: 8 }), (resources, filters) => {
        const db = openDatabase(resources);
        try {
          for (const filter of filters) {
            const ast = parseFilter(filter, users);
            const expected = resources.filter((r) => evaluateFilter(ast, r)).map((r) => r['id'] as string).sort();
            const { sql, params } = compileFilterToSql(ast, DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' });
            const actual = queryIds(db, 'members', 'm', sql, params);
            if (JSON.stringify(actual) !== JSON.stringify(expected)) {
              throw new Error(`disagreement on ${filter}\nSQL: ${sql}\nparams: ${JSON.stringify(params)}\nevaluator: ${expected}\nsql: ${actual}`);
            }
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('on sortBy over random users (missing values last, id tiebreak)', () => {
    fc.assert(
      fc.property(usersArb, fc.constantFrom('userName', 'displayName', 'name.givenName', 'meta.created', 'active', 'emails', 'emails.value', `${E}:department`, 'title'), fc.constantFrom<SortOrder>('ascending', 'descending'), (resources, sortBy, order) => {
        const db = openDatabase(resources);
        try {
          const attribute = resolveSortBy(sortBy, users);
          const expected = [...resources].sort(createResourceComparator(attribute, order)).map((r) => r['id']);
          const { sql, params } = compileSortToSql(attribute, order, DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' });
          const rows = db.prepare(`SELECT "m"."id" AS id FROM "members" AS "m" ORDER BY ${sql}`).all(...(params as string[])) as { id: string }[];
          expect(rows.map((row) => row.id)).toEqual(expected);
        } finally {
          db.close();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('on group filters through group_members and JSON', () => {
    const groupResources: JsonObject[] = [
      { schemas: [GROUP_SCHEMA], id: 'g1', displayName: 'Tour Guides', members: [{ value: 'u1', display: 'Babs' }, { value: 'u2' }] },
      { schemas: [GROUP_SCHEMA], id: 'g2', displayName: 'tour guides 2', externalId: 'EXT', members: [{ value: 'U1' }] },
      { schemas: [GROUP_SCHEMA], id: 'g3', displayName: 'Empty' },
    ];
    const db = openDatabase([], groupResources);
    for (const filter of [
      'displayName eq "TOUR GUIDES"',
      'displayName sw "tour"',
      'members[value eq "u1"]',
      'members.value eq "u1"',
      'members eq "U1"',
      'members[display co "ab"]',
      'members[value eq "u2" or display pr]',
      'not (members pr)',
      'externalId eq "ext"',
      'externalId eq "EXT"',
    ]) {
      const ast = parseFilter(filter, groups);
      const expected = groupResources.filter((g) => evaluateFilter(ast, g)).map((g) => g['id']);
      const { sql, params } = compileFilterToSql(ast, DEFAULT_GROUP_SQL_MAPPING, { dialect: 'sqlite' });
      expect([filter, queryIds(db, 'groups', 'g', sql, params)]).toEqual([filter, expected]);
    }
    db.close();
  });
});

describe('evaluator and SQLite-compiled SQL agree on a workspace extension (custom attributes)', () => {
  const custom = customUserRegistry().forResourceType('User');
  const X = AXIS_USER_EXTENSION_SCHEMA;
  const day = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2020, 0, 10) }).map((ms) => new Date(ms - (ms % 3_600_000)).toISOString());
  const extensionArb = fc
    .record({
      costCode: optional(word),
      badge: optional(word),
      seats: optional(fc.integer({ min: -3, max: 3 })),
      rate: optional(fc.constantFrom(0, 0.5, 1.25, -2, 10)),
      remote: optional(fc.boolean()),
      startDate: optional(day),
      homePage: optional(word),
      tags: optional(fc.array(word, { minLength: 1, maxLength: 3 })),
      scores: optional(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })),
    })
    .map(compact);
  const customUsersArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.tuple(userArb(`u${i}`), optional(extensionArb)).map(([user, extension]) =>
          extension === undefined || Object.keys(extension).length === 0
            ? user
            : { ...user, schemas: [...(user['schemas'] as string[]), X], [X]: extension },
        ),
      ),
    ),
  );
  // Qualified by URN (what Entra and Okta send) and unqualified; both resolve to the extension.
  const name = (attribute: string) => fc.constantFrom(`${X}:${attribute}`, attribute, `${X.toUpperCase()}:${attribute.toLowerCase()}`);
  const ops = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');
  const ordered = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le');
  const customLeaf = fc.oneof(
    fc.tuple(fc.oneof(name('costCode'), name('badge'), name('homePage'), name('tags')), ops, quoted).map(([p, op, v]) => `${p} ${op} ${v}`),
    fc.tuple(fc.oneof(name('seats'), name('scores')), ordered, fc.integer({ min: -3, max: 3 })).map(([p, op, v]) => `${p} ${op} ${v}`),
    fc.tuple(name('rate'), ordered, fc.constantFrom(0, 0.5, 1.25, 3)).map(([p, op, v]) => `${p} ${op} ${v}`),
    fc.tuple(name('remote'), fc.constantFrom('eq', 'ne'), fc.constantFrom('true', 'false')).map(([p, op, v]) => `${p} ${op} ${v}`),
    fc.tuple(name('startDate'), ordered, day).map(([p, op, v]) => `${p} ${op} "${v}"`),
    fc.oneof(name('costCode'), name('seats'), name('remote'), name('startDate'), name('tags'), name('scores')).map((p) => `${p} pr`),
    fc.tuple(fc.oneof(name('costCode'), name('tags'), name('seats')), fc.constantFrom('eq', 'ne')).map(([p, op]) => `${p} ${op} null`),
  );
  const customFilter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      customLeaf,
      customLeaf,
      stringLeaf,
      fc.tuple(tie('f'), fc.constantFrom('and', 'or'), tie('f')).map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('f').map((a) => `not (${a})`),
    ),
  })).f;

  it('on random filters over random users with custom values', () => {
    fc.assert(
      fc.property(customUsersArb, fc.array(customFilter, { minLength: 1, maxLength: 8 }), (resources, filters) => {
        const db = openDatabase(resources);
        try {
          for (const filter of filters) {
            const ast = parseFilter(filter, custom);
            const expected = resources.filter((r) => evaluateFilter(ast, r)).map((r) => r['id'] as string).sort();
            const { sql, params } = compileFilterToSql(ast, DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' });
            const actual = queryIds(db, 'members', 'm', sql, params);
            if (JSON.stringify(actual) !== JSON.stringify(expected)) {
              throw new Error(`disagreement on ${filter}\nSQL: ${sql}\nparams: ${JSON.stringify(params)}\nevaluator: ${expected}\nsql: ${actual}`);
            }
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('on sortBy by a custom attribute', () => {
    fc.assert(
      fc.property(customUsersArb, fc.constantFrom(`${X}:costCode`, `${X}:badge`, `${X}:seats`, `${X}:rate`, `${X}:remote`, `${X}:startDate`), fc.constantFrom<SortOrder>('ascending', 'descending'), (resources, sortBy, order) => {
        const db = openDatabase(resources);
        try {
          const attribute = resolveSortBy(sortBy, custom);
          const expected = [...resources].sort(createResourceComparator(attribute, order)).map((r) => r['id']);
          const { sql, params } = compileSortToSql(attribute, order, DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' });
          const rows = db.prepare(`SELECT "m"."id" AS id FROM "members" AS "m" ORDER BY ${sql}`).all(...(params as string[])) as { id: string }[];
          expect(rows.map((row) => row.id)).toEqual(expected);
        } finally {
          db.close();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds a value by its URN path whatever the key holds (dots, colons)', () => {
    const resources: JsonObject[] = [
      { schemas: [USER_SCHEMA, X], id: 'u1', userName: 'a', [X]: { costCode: 'CC-1.2:3', tags: ['Blue', 'red'], seats: 2 } },
      { schemas: [USER_SCHEMA], id: 'u2', userName: 'b' },
    ];
    const db = openDatabase(resources);
    for (const [filter, ids] of [
      [`${X}:costCode eq "cc-1.2:3"`, ['u1']],
      [`${X}:tags eq "blue"`, ['u1']],
      [`${X}:tags co "e"`, ['u1']],
      [`not (${X}:tags pr)`, ['u2']],
      [`${X}:seats ge 2 and ${X}:costCode sw "CC"`, ['u1']],
    ] as const) {
      const { sql, params } = compileFilterToSql(parseFilter(filter, custom), DEFAULT_USER_SQL_MAPPING, { dialect: 'sqlite' });
      expect([filter, queryIds(db, 'members', 'm', sql, params)]).toEqual([filter, ids]);
    }
    db.close();
  });
});
