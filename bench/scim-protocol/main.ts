/**
 * SCIM protocol micro-benchmark: filter parse + SQL compile, and PATCH application.
 * Prints a table, then one line of JSON with `filterParseCompilePerSec` and `patchApplyPerSec`.
 */
import {
  applyPatch,
  compileFilterToSql,
  createDefaultSchemaRegistry,
  DEFAULT_GROUP_SQL_MAPPING,
  DEFAULT_USER_SQL_MAPPING,
  ENTERPRISE_USER_SCHEMA,
  JsonObject,
  parseFilter,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from '@axis/scim';

const registry = createDefaultSchemaRegistry();
const users = registry.forResourceType('User');
const groups = registry.forResourceType('Group');
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 1500);

/** Runs `operation` repeatedly for about DURATION_MS (after a warm-up) and returns operations per second. */
function measure(operation: (i: number) => unknown): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += operation(i) === undefined ? 0 : 1;
  let iterations = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(DURATION_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 1000; i++) sink += operation(iterations + i) === undefined ? 0 : 1;
    iterations += 1000;
    now = process.hrtime.bigint();
  }
  if (sink < 0) console.log(sink);
  return Math.round(iterations / (Number(now - start) / 1e9));
}

const userNames = Array.from({ length: 4096 }, (_, i) => `userName eq "user.${i}.${(i * 2654435761) % 100000}@contoso.com"`);

const filterCases: { name: string; schema: typeof users; mapping: typeof DEFAULT_USER_SQL_MAPPING; filters: string[] }[] = [
  { name: 'userName eq "…" (varying values)', schema: users, mapping: DEFAULT_USER_SQL_MAPPING, filters: userNames },
  { name: 'Entra externalId eq "<guid>"', schema: users, mapping: DEFAULT_USER_SQL_MAPPING, filters: ['externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"'] },
  { name: 'Entra emails[type eq "work"].value eq', schema: users, mapping: DEFAULT_USER_SQL_MAPPING, filters: ['emails[type eq "work"].value eq "bjensen@contoso.com"'] },
  { name: 'Entra groups displayName eq', schema: groups, mapping: DEFAULT_GROUP_SQL_MAPPING, filters: ['displayName eq "Tour Guides"'] },
  { name: 'Okta userName eq + Ping emails eq', schema: users, mapping: DEFAULT_USER_SQL_MAPPING, filters: ['userName eq "test.user@okta.local"', 'emails eq "jane.doe@example.com"'] },
  {
    name: 'complex and/or/not + URN + dates',
    schema: users,
    mapping: DEFAULT_USER_SQL_MAPPING,
    filters: [`(userName sw "j" or name.familyName co "son") and not (active eq false) and meta.lastModified gt "2011-05-13T04:42:34Z" and ${ENTERPRISE_USER_SCHEMA}:department eq "Sales"`],
  },
];

function filterOperation(schema: typeof users, mapping: typeof DEFAULT_USER_SQL_MAPPING, filters: string[]): (i: number) => unknown {
  return (i) => compileFilterToSql(parseFilter(filters[i % filters.length], schema), mapping, { dialect: 'postgres', paramOffset: 1 });
}

const storedUser: JsonObject = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'bjensen@contoso.com',
  name: { formatted: 'Barbara Jensen', familyName: 'Jensen', givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  active: true,
  emails: [
    { value: 'bjensen@contoso.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', department: 'Tour Operations' },
  meta: { resourceType: 'User', created: '2010-01-23T04:56:22.000Z', lastModified: '2011-05-13T04:42:34.000Z', version: 'W/"3"' },
};

const entraPatch = {
  schemas: [PATCH_OP_SCHEMA],
  Operations: [
    { op: 'Replace', path: 'active', value: 'False' },
    { op: 'Replace', path: 'name.givenName', value: 'Barbara-Ann' },
    { op: 'Replace', path: 'emails[type eq "work"].value', value: 'barbara.jensen@contoso.com' },
  ],
};

const rows: [string, number][] = [];
const filterResults = filterCases.map((c) => {
  const perSec = measure(filterOperation(c.schema, c.mapping, c.filters));
  rows.push([`filter parse+compile (PG): ${c.name}`, perSec]);
  return perSec;
});
const patchPerSec = measure(() => applyPatch(storedUser, entraPatch, users));
rows.push(['PATCH apply: Entra 3-op (active "False", name.givenName, emails[type eq "work"].value)', patchPerSec]);
const oktaPatch = { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] };
rows.push(['PATCH apply: Okta pathless replace {active:false}', measure(() => applyPatch(storedUser, oktaPatch, users))]);

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'operation'.padEnd(width)}  ${'ops/s'.padStart(12)}`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(12)}`);
for (const [name, perSec] of rows) console.log(`${name.padEnd(width)}  ${perSec.toLocaleString('en-US').padStart(12)}`);
console.log(
  JSON.stringify({
    filterParseCompilePerSec: filterResults[0],
    filterParseCompileRealisticMinPerSec: Math.min(...filterResults.slice(1)),
    patchApplyPerSec: patchPerSec,
  }),
);
