/**
 * fast-check generators of hostile and careless HTTP requests against the SCIM and admin routes,
 * for the hostile-input fuzz (`tests/system/hostile-input.system.spec.ts`). A request names ids
 * symbolically (`{user}`, `{group}`, `{slug}`): the spec resolves them against what exists when
 * it sends the request, so one generated sequence exercises real resources as well as garbage.

 */
import fc from 'fast-check';

export interface HostileRequest {
  /** Which generator made it, for the report. */
  label: string;
  method: string;
  /** Path with `{user}`, `{group}`, `{slug}`, `{otherSlug}`, `{webhook}` placeholders. */
  path: string;
  /** Already percent-encoded `key=value` pairs (some deliberately malformed). */
  query: string[];
  headers: Record<string, string>;
  body?: string;
  auth: 'valid' | 'none' | 'bogus' | 'config';
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';


// ---------------------------------------------------------------------------------------------
// Strings

const oddCharacters = [
  '\u0000', '\ud800', '\udfff', '\ud83d', '\u202e', '\u200b', '\ufeff', '\uffff', '\u0085', '\u2028',
  '😀', '👩‍👩‍👧', '𝔘', 'ﬀ', 'İ', 'ß', 'e\u0301', '\n', '\r', '\t', '"', '\\', '%', '*', '_', "'", '[', ']',
  '(', ')', ' ', '.', ':', '$', '{', '}', '<script>', '\u001b[31m', 'NULL', '%00',
];

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...oddCharacters), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')) },
  // Around the 16,384-character cap on any JSON string, and far past the SCIM length limits.
  { weight: 1, arbitrary: fc.constantFrom(256, 1_024, 16_384, 16_385, 40_000).map((length) => 'x'.repeat(length)) },
);

/** A JSON string literal (lone surrogates come out escaped, as JSON.stringify writes them). */
const quoted = (text: string): string => JSON.stringify(text);

/**
 * Percent-encodes a query value. Lone surrogates cannot be UTF-8: they go out as the bytes a
 * careless encoder produces (CESU-8), which are not valid UTF-8 either.
 */
export function encodeQueryValue(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out += `%ED%${(0xa0 | ((code >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    else out += encodeURIComponent(char);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Filters: grammar-aware, mixing valid and malformed

const userAttributes = [
  'userName', 'displayName', 'nickName', 'title', 'externalId', 'id', 'active', 'locale', 'timezone',
  'name.familyName', 'name.givenName', 'name.formatted', 'emails', 'emails.value', 'emails.type',
  'emails.primary', 'emails.display', 'phoneNumbers.value', 'addresses.locality', 'addresses.primary',
  'groups.value', 'roles.value', 'x509Certificates.value', 'meta.created', 'meta.lastModified',
  'meta.resourceType', 'meta.version', `${USER_SCHEMA}:userName`, `${USER_SCHEMA}:emails.value`,
  `${ENTERPRISE_SCHEMA}:department`, `${ENTERPRISE_SCHEMA}:employeeNumber`, `${ENTERPRISE_SCHEMA}:manager.value`,
  'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User:costCode',
  // Unknown and malformed attribute paths.
  'unknownAttribute', 'emails.nope', 'name..givenName', 'urn:x:y', '0userName', 'user-name', 'ünïcode',
];
const groupAttributes = ['displayName', 'externalId', 'id', 'members', 'members.value', 'members.display', 'members.type', 'meta.created', 'meta.lastModified', 'bogus'];
const comparisonOperators = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Co', 'SW', 'xx', 'eqq'];

const filterValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: oddString.map(quoted) },
  { weight: 2, arbitrary: fc.constantFrom('"a"', '"zz"', '"@example.com"', '"work"', '"2020-01-01T00:00:00Z"', '"2020-13-45T99:00:00Z"', '""') },
  { weight: 2, arbitrary: fc.constantFrom('true', 'false', 'null', 'True', 'NULL', '1', '-1', '0', '1.5', '1e308', '-1e308', '9223372036854775808', 'NaN') },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9@.]{1,8}$/) },
  // Unterminated and badly escaped literals.
  { weight: 1, arbitrary: fc.constantFrom('"unterminated', '"bad \\q escape"', '"\\u12"', "'single'", '"a"b"') },
);

export function filterArbitrary(attributes: string[] = userAttributes): fc.Arbitrary<string> {
  const attribute = fc.constantFrom(...attributes);
  const subAttribute = fc.constantFrom('value', 'type', 'primary', 'display', 'bogus', 'value.x');
  const { filter } = fc.letrec<{ filter: string; term: string; subFilter: string }>((tie) => ({
    filter: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 5, arbitrary: tie('term') },
      { weight: 2, arbitrary: fc.tuple(tie('filter'), fc.constantFrom('and', 'or', 'AND', 'Or', 'nand', ''), tie('filter')).map(([l, op, r]) => `${l} ${op} ${r}`) },
      { weight: 1, arbitrary: tie('filter').map((inner) => `not (${inner})`) },
      { weight: 1, arbitrary: tie('filter').map((inner) => `(${inner})`) },
      { weight: 1, arbitrary: tie('filter').map((inner) => `not ${inner}`) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('emails', 'phoneNumbers', 'addresses', 'members', 'groups', 'name', 'userName', 'roles'), tie('subFilter'), fc.constantFrom('', '.value', '.type', '.nope'))
          .map(([multi, inner, tail]) => `${multi}[${inner}]${tail}`),
      },
    ),
    term: fc.oneof(
      { weight: 4, arbitrary: fc.tuple(attribute, fc.constantFrom(...comparisonOperators), filterValue).map(([a, op, v]) => `${a} ${op} ${v}`) },
      { weight: 1, arbitrary: attribute.map((a) => `${a} pr`) },
      { weight: 1, arbitrary: fc.tuple(attribute, fc.constantFrom(...comparisonOperators)).map(([a, op]) => `${a} ${op}`) },
    ),
    subFilter: fc.oneof(
      { weight: 3, arbitrary: fc.tuple(subAttribute, fc.constantFrom(...comparisonOperators), filterValue).map(([a, op, v]) => `${a} ${op} ${v}`) },
      { weight: 1, arbitrary: fc.tuple(subAttribute, subAttribute, filterValue).map(([a, b, v]) => `${a} eq ${v} and ${b} pr`) },
      { weight: 1, arbitrary: tie('filter') },
    ),
  }));
  return fc.oneof(
    { weight: 8, arbitrary: filter },
    // Deep nesting, past the 32-level cap and far past it.
    { weight: 1, arbitrary: fc.constantFrom(8, 31, 33, 200, 2_000).map((depth) => `${'('.repeat(depth)}userName pr${')'.repeat(depth)}`) },
    { weight: 1, arbitrary: fc.constantFrom(31, 33, 500).map((depth) => `${'not ('.repeat(depth)}userName pr${')'.repeat(depth)}`) },
    // Wide: long OR chains of email value paths (issue #23 finding 1), under and over the length cap.
    { weight: 1, arbitrary: fc.constantFrom(10, 60, 400).map((terms) => Array.from({ length: terms }, (_, index) => `emails[value co "${index}"]`).join(' or ')) },
    // Malformed by construction.
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '(', ')', '[', ']', 'eq', 'userName', 'userName eq', 'eq "x"', 'not', 'not ()', 'and', 'userName eq "x" and', '()', 'emails[]', 'emails[value eq "x"', 'emails[value eq "x"]]', '"x"', 'userName eq "x")', 'userName eq "x" extra') },
    // Random damage to a valid filter.
    { weight: 1, arbitrary: fc.tuple(filter, fc.nat(), fc.constantFrom('"', '(', ')', '[', ']', ' ', '\\', '\u0000', '')).map(([text, at, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + 1)) },
  );
}

// ---------------------------------------------------------------------------------------------
// Paging and other query parameters

const ordinaryPaging = fc.oneof(
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.constantFrom('', '0', '-0', '-1', '1.5', '1e3', ' 1', '0x10', 'Infinity', '-Infinity', 'NaN', 'abc', '1,2', '%00', '2147483648', '9007199254740993'),
);
/** Issue #23 finding 4: values ≥ 2^63 and 1e308 answered 500. */
const hugePaging = fc.constantFrom('9223372036854775808', '18446744073709551616', '1e308', '99999999999999999999999');

function pagingParameters(): fc.Arbitrary<{ query: string[] }> {
  return fc
    .tuple(fc.option(fc.oneof({ weight: 9, arbitrary: ordinaryPaging.map((value) => ({ value, huge: false })) }, { weight: 1, arbitrary: hugePaging.map((value) => ({ value, huge: true })) })), fc.option(fc.oneof({ weight: 9, arbitrary: ordinaryPaging.map((value) => ({ value, huge: false })) }, { weight: 1, arbitrary: hugePaging.map((value) => ({ value, huge: true })) })))
    .map(([startIndex, count]) => {
      const query: string[] = [];
      if (startIndex) query.push(`startIndex=${encodeQueryValue(startIndex.value)}`);
      if (count) query.push(`count=${encodeQueryValue(count.value)}`);
      return { query };
    });
}

const attributeList = fc.oneof(
  fc.array(fc.constantFrom(...userAttributes, 'members', 'schemas', 'meta'), { maxLength: 4 }).map((names) => names.join(',')),
  oddString,
);

function listQuery(attributes: string[]): fc.Arbitrary<{ query: string[] }> {
  return fc
    .tuple(
      fc.option(filterArbitrary(attributes), { freq: 3 }),
      pagingParameters(),
      fc.option(fc.constantFrom(...attributes, '', 'emails[type eq "work"].value')),
      fc.option(fc.constantFrom('ascending', 'descending', 'DESC', 'up', '')),
      fc.option(attributeList),
      fc.option(attributeList),
      fc.option(fc.tuple(fc.stringMatching(/^[a-zA-Z%]{1,8}$/), oddString)),
    )
    .map(([filter, paging, sortBy, sortOrder, attributesParam, excluded, extra]) => {
      const query = [...paging.query];
      if (filter !== null) query.push(`filter=${encodeQueryValue(filter)}`);
      if (sortBy !== null) query.push(`sortBy=${encodeQueryValue(sortBy)}`);
      if (sortOrder !== null) query.push(`sortOrder=${encodeQueryValue(sortOrder)}`);
      if (attributesParam !== null) query.push(`attributes=${encodeQueryValue(attributesParam)}`);
      if (excluded !== null) query.push(`excludedAttributes=${encodeQueryValue(excluded)}`);
      if (extra !== null) query.push(`${extra[0]}=${encodeQueryValue(extra[1])}`);
      return { query };
    });
}

// ---------------------------------------------------------------------------------------------
// JSON bodies

/** Any JSON value, including the odd strings. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: oddString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 'True', 'False', [], {}, [null], { value: null }) },
);

function deepJson(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

/** Raw bodies no well-behaved client sends. */
const rawOddBody = fc.oneof(
  fc.constantFrom('', '{', '}', '[]', 'null', '"text"', '42', '{"a":1}}', '{"a":NaN}', "{'a':1}", '{"a":1,}', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', 'not json at all', '<xml/>'),
  fc.constantFrom(33, 40, 2_000, 10_000).map(deepJson),
  // Wide: many keys, and many elements.
  fc.constantFrom(5_000, 40_000).map((keys) => `{${Array.from({ length: keys }, (_, index) => `"k${index}":${index}`).join(',')}}`),
  fc.constantFrom(50_000).map((elements) => `{"schemas":["${USER_SCHEMA}"],"userName":"wide","emails":[${Array.from({ length: elements }, () => '{"value":"a@b.c"}').join(',')}]}`),
  // Over the 1 MiB body limit.
  fc.constant(`{"userName":"${'x'.repeat(1_100_000)}"}`),
);

function withDuplicateKeys(body: Record<string, unknown>, key: string, second: unknown): string {
  const text = JSON.stringify(body);
  return `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(second)}}`;
}

const emailElement = fc.record(
  { value: fc.oneof(fc.emailAddress(), oddString, anyValue), type: fc.oneof(fc.constantFrom('work', 'home', 'other', 'Work'), anyValue), primary: fc.oneof(fc.boolean(), anyValue), display: oddString },
  { requiredKeys: [] },
);

const userBody: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    schemas: fc.oneof({ weight: 6, arbitrary: fc.constant([USER_SCHEMA]) }, { weight: 1, arbitrary: fc.constant([USER_SCHEMA, ENTERPRISE_SCHEMA]) }, { weight: 1, arbitrary: anyValue }),
    userName: fc.oneof({ weight: 4, arbitrary: fc.uuid().map((id) => `fuzz-${id}@example.com`) }, { weight: 3, arbitrary: oddString }, { weight: 1, arbitrary: anyValue }),
    name: fc.oneof(fc.record({ givenName: oddString, familyName: oddString, formatted: oddString }, { requiredKeys: [] }), anyValue),
    displayName: oddString,
    nickName: oddString,
    title: oddString,
    externalId: fc.oneof(fc.uuid(), oddString, anyValue),
    active: fc.oneof(fc.boolean(), anyValue),
    emails: fc.oneof({ weight: 3, arbitrary: fc.array(emailElement, { maxLength: 4 }) }, { weight: 1, arbitrary: anyValue }),
    phoneNumbers: fc.oneof(fc.array(fc.record({ value: oddString, type: oddString }, { requiredKeys: [] }), { maxLength: 3 }), anyValue),
    addresses: fc.oneof(fc.array(fc.record({ locality: oddString, country: oddString, primary: anyValue }, { requiredKeys: [] }), { maxLength: 2 }), anyValue),
    [ENTERPRISE_SCHEMA]: fc.oneof(fc.record({ department: oddString, employeeNumber: anyValue, manager: fc.oneof(fc.record({ value: oddString }), anyValue) }, { requiredKeys: [] }), anyValue),
    id: oddString,
    meta: anyValue,
    groups: anyValue,
  },
  { requiredKeys: [] },
);

const groupBody: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    schemas: fc.oneof({ weight: 5, arbitrary: fc.constant([GROUP_SCHEMA]) }, { weight: 1, arbitrary: anyValue }),
    displayName: fc.oneof({ weight: 3, arbitrary: fc.uuid().map((id) => `fuzz group ${id}`) }, { weight: 2, arbitrary: oddString }, { weight: 1, arbitrary: anyValue }),
    externalId: fc.oneof(fc.uuid(), oddString),
    members: fc.oneof(fc.array(fc.record({ value: fc.oneof(fc.constant('{user}'), oddString, anyValue), display: oddString, type: oddString }, { requiredKeys: [] }), { maxLength: 4 }), anyValue),
  },
  { requiredKeys: [] },
);

/** Valid and malformed PATCH paths. */
const patchPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('userName', 'displayName', 'active', 'title', 'externalId', 'name', 'name.givenName', 'name.familyName', 'emails', 'phoneNumbers', 'addresses', 'emails[type eq "work"].value', 'emails[type eq "work"]', 'emails[value co "@"]', 'emails[primary eq true].type', 'members', 'members[value eq "x"]', `${ENTERPRISE_SCHEMA}:department`, `${ENTERPRISE_SCHEMA}:manager`, `${USER_SCHEMA}:displayName`, 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:grade', 'id', 'meta.created', 'schemas', 'groups') },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '.', 'emails[', 'emails[type eq "work"', '].value', 'emails]', 'a.b.c.d.e', 'urn:', `${USER_SCHEMA}:`, '$..x', 'emails[type eq "work"].value.extra', 'emails[type eq "work"][value eq "x"]', 'name.givenName.x', 'members[value eq "x"].display.z', '\u0000') },
  { weight: 2, arbitrary: filterArbitrary(['value', 'type', 'primary', 'display', 'bogus']).map((inner) => `emails[${inner}]`) },
  { weight: 1, arbitrary: oddString },
);

const patchOperation = fc.record(
  {
    op: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'Remove') }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('copy', 'move', 'test', ''), anyValue) }),
    path: fc.oneof({ weight: 4, arbitrary: patchPath }, { weight: 1, arbitrary: anyValue }),
    value: fc.oneof({ weight: 3, arbitrary: anyValue }, { weight: 1, arbitrary: userBody }, { weight: 1, arbitrary: fc.array(emailElement, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant([{ value: '{user}' }]) }),
  },
  { requiredKeys: ['op'] },
);

const patchBody: fc.Arbitrary<{ body: string }> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ schemas: fc.oneof({ weight: 6, arbitrary: fc.constant([PATCH_OP]) }, { weight: 1, arbitrary: anyValue }), Operations: fc.oneof({ weight: 6, arbitrary: fc.array(patchOperation, { maxLength: 12 }) }, { weight: 1, arbitrary: anyValue }) }, { requiredKeys: [] }).map((body) => ({ body: JSON.stringify(body) })) },
  { weight: 1, arbitrary: fc.record({ schemas: fc.constant([PATCH_OP]), operations: fc.array(patchOperation, { maxLength: 3 }) }).map((body) => ({ body: JSON.stringify(body) })) },
  // Issue #23 finding 2: a user PATCH had no cap on its operations.
  { weight: 1, arbitrary: fc.constantFrom(1_001, 5_000).map((count) => ({ body: JSON.stringify({ schemas: [PATCH_OP], Operations: Array.from({ length: count }, (_, index) => ({ op: 'replace', path: 'title', value: `t${index}` })) })})) },
);

const searchBody: fc.Arbitrary<{ body: string }> = fc
  .record(
    {
      schemas: fc.oneof({ weight: 5, arbitrary: fc.constant([SEARCH_REQUEST]) }, { weight: 1, arbitrary: anyValue }),
      filter: fc.oneof({ weight: 4, arbitrary: filterArbitrary() }, { weight: 1, arbitrary: anyValue }),
      startIndex: fc.oneof(fc.integer({ min: -5, max: 300 }), anyValue),
      count: fc.oneof(fc.integer({ min: -5, max: 300 }), anyValue),
      sortBy: fc.oneof(fc.constantFrom(...userAttributes), anyValue),
      sortOrder: fc.oneof(fc.constantFrom('ascending', 'descending'), anyValue),
      attributes: fc.oneof(fc.array(fc.constantFrom(...userAttributes), { maxLength: 3 }), anyValue),
      excludedAttributes: fc.oneof(fc.array(fc.constantFrom(...userAttributes), { maxLength: 3 }), anyValue),
    },
    { requiredKeys: [] },
  )
  .chain((body) =>
    fc.oneof(
      { weight: 9, arbitrary: fc.constant({ body: JSON.stringify(body) }) },
      // Issue #23 finding 4: 1e308 and ≥ 2^63 in a search body.
      { weight: 1, arbitrary: fc.constantFrom('1e308', '9223372036854775808').map((huge) => ({ body: `${JSON.stringify(body).slice(0, -1)}${Object.keys(body).length ? ',' : ''}"count":${huge}}`})) },
    ),
  );

// ---------------------------------------------------------------------------------------------
// Headers and credentials

const contentTypes = ['application/scim+json', 'application/json', 'application/scim+json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', '*/*', 'application/json, text/plain', 'application/scim+json;;;'];
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);

const oddHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      accept: fc.constantFrom('application/scim+json', 'application/json', 'text/html', '*/*', 'application/xml', ''),
      'if-match': fc.oneof(fc.constantFrom('*', 'W/"0"', 'W/"1"', '"0"', 'W/"999999999999999999999"', 'W/', '"'), headerValue),
      'if-none-match': fc.oneof(fc.constantFrom('*', 'W/"0"'), headerValue),
      'user-agent': fc.oneof(fc.constantFrom('Microsoft Azure AD SCIM provisioning', 'Okta SCIM Client 1.0.0', 'OneLogin SCIM', ''), headerValue),
      'x-forwarded-for': fc.oneof(fc.constantFrom('::1', '999.1.1.1', 'unknown', ', ,'), headerValue),
    },
    { requiredKeys: [] },
  );

const credentialKind = fc.oneof(
  { weight: 12, arbitrary: fc.constant('valid' as const) },
  { weight: 1, arbitrary: fc.constant('none' as const) },
  { weight: 1, arbitrary: fc.constant('bogus' as const) },
  { weight: 1, arbitrary: fc.constant('config' as const) },
);

// ---------------------------------------------------------------------------------------------
// Routes

const oddId = fc.oneof(
  { weight: 4, arbitrary: fc.constant('{user}') },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom('x', '..', '%2e%2e', '%00', '%ED%A0%80', '%FF', 'a%20b', 'null', '0', '-1', '.search', 'a'.repeat(5_000), '%25', '%E2%80%AE') },
);
const oddGroupId = fc.oneof({ weight: 4, arbitrary: fc.constant('{group}') }, { weight: 1, arbitrary: oddId });

type Built = Omit<HostileRequest, 'headers' | 'auth'> & { headers?: Record<string, string> };

/** RFC 7644 §3.7 bulk bodies: odd methods, paths and bulkIds, references that resolve, dangle or loop. */
const bulkOperation = fc.record(
  {
    method: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'post') }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('GET', ''), anyValue) }),
    path: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom('/Users', '/Groups', '/Users/bulkId:a', '/Groups/bulkId:b', '/Users/bulkId:zz', '/Users/x', '/Bulk', '/Users/x?attributes=id', 'Users', '/Users/', '/Users/%00', '/Groups/../Users') },
      { weight: 1, arbitrary: fc.oneof(oddString, anyValue) },
    ),
    bulkId: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('a', 'b', 'c', '') }, { weight: 1, arbitrary: fc.oneof(oddString, anyValue) }),
    version: fc.oneof(fc.constantFrom('W/"0"', 'W/"1"', '*'), anyValue),
    data: fc.oneof(
      { weight: 3, arbitrary: userBody },
      { weight: 2, arbitrary: groupBody.map((body) => ({ ...body, members: [{ value: 'bulkId:a' }, { value: 'bulkId:b' }] })) },
      { weight: 2, arbitrary: patchBody.map(({ body }) => parsedOrText(body)) },
      { weight: 1, arbitrary: anyValue },
    ),
  },
  { requiredKeys: ['method', 'path'] },
);
const bulkBody: fc.Arbitrary<{ body: string }> = fc
  .record(
    {
      schemas: fc.oneof({ weight: 6, arbitrary: fc.constant(['urn:ietf:params:scim:api:messages:2.0:BulkRequest']) }, { weight: 1, arbitrary: anyValue }),
      failOnErrors: fc.oneof(fc.integer({ min: -1, max: 4 }), anyValue),
      Operations: fc.oneof({ weight: 6, arbitrary: fc.array(bulkOperation, { maxLength: 12 }) }, { weight: 1, arbitrary: anyValue }),
    },
    { requiredKeys: ['schemas'] },
  )
  .map((body) => ({ body: JSON.stringify(body) }));

function parsedOrText(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

const scimRoutes: fc.Arbitrary<Built> = fc.oneof(
  { weight: 4, arbitrary: listQuery(userAttributes).map(({ query }) => ({ label: 'GET /Users', method: 'GET', path: '/Users', query })) },
  { weight: 2, arbitrary: listQuery(groupAttributes).map(({ query }) => ({ label: 'GET /Groups', method: 'GET', path: '/Groups', query })) },
  { weight: 3, arbitrary: searchBody.map(({ body }) => ({ label: 'POST /Users/.search', method: 'POST', path: '/Users/.search', query: [], body })) },
  { weight: 1, arbitrary: searchBody.map(({ body }) => ({ label: 'POST /.search', method: 'POST', path: '/.search', query: [], body })) },
  { weight: 2, arbitrary: bulkBody.map(({ body }) => ({ label: 'POST /Bulk', method: 'POST', path: '/Bulk', query: [], body })) },
  { weight: 4, arbitrary: userBody.map((body) => ({ label: 'POST /Users', method: 'POST', path: '/Users', query: [], body: JSON.stringify(body) })) },
  { weight: 1, arbitrary: fc.tuple(userBody, fc.constantFrom('userName', 'schemas', 'active', 'emails'), anyValue).map(([body, key, second]) => ({ label: 'POST /Users (duplicate keys)', method: 'POST', path: '/Users', query: [], body: withDuplicateKeys(body, key, second) })) },
  { weight: 2, arbitrary: rawOddBody.map((body) => ({ label: 'POST /Users (raw body)', method: 'POST', path: '/Users', query: [], body })) },
  { weight: 3, arbitrary: fc.tuple(oddId, patchBody).map(([id, { body }]) => ({ label: 'PATCH /Users/{id}', method: 'PATCH', path: `/Users/${id}`, query: [], body })) },
  { weight: 2, arbitrary: fc.tuple(oddId, userBody).map(([id, body]) => ({ label: 'PUT /Users/{id}', method: 'PUT', path: `/Users/${id}`, query: [], body: JSON.stringify(body) })) },
  { weight: 2, arbitrary: fc.tuple(oddId, fc.option(attributeList)).map(([id, attributes]) => ({ label: 'GET /Users/{id}', method: 'GET', path: `/Users/${id}`, query: attributes === null ? [] : [`attributes=${encodeQueryValue(attributes)}`] })) },
  { weight: 1, arbitrary: oddId.map((id) => ({ label: 'DELETE /Users/{id}', method: 'DELETE', path: `/Users/${id}`, query: [] })) },
  { weight: 2, arbitrary: groupBody.map((body) => ({ label: 'POST /Groups', method: 'POST', path: '/Groups', query: [], body: JSON.stringify(body) })) },
  { weight: 2, arbitrary: fc.tuple(oddGroupId, patchBody).map(([id, { body }]) => ({ label: 'PATCH /Groups/{id}', method: 'PATCH', path: `/Groups/${id}`, query: [], body })) },
  { weight: 1, arbitrary: fc.tuple(oddGroupId, groupBody).map(([id, body]) => ({ label: 'PUT /Groups/{id}', method: 'PUT', path: `/Groups/${id}`, query: [], body: JSON.stringify(body) })) },
  { weight: 1, arbitrary: oddGroupId.map((id) => ({ label: 'GET /Groups/{id}', method: 'GET', path: `/Groups/${id}`, query: ['excludedAttributes=members'] })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), fc.constantFrom('/ServiceProviderConfig', '/Schemas', '/ResourceTypes', '/Schemas/', '/ResourceTypes/User', '/Bulk', '/Me', '/Users', '/Groups', '/Users/.search/x', '/Nope', '//Users', '/Users/', '/users', '/Schemas/urn:nope', '/ResourceTypes/%ED%A0%80'), fc.option(rawOddBody))
      .map(([method, path, body]) => ({ label: `${method} ${path}`, method, path, query: [], ...(body === null || method === 'GET' || method === 'HEAD' ? {} : { body }) })),
  },
  { weight: 1, arbitrary: oddString.map((segment) => ({ label: 'GET /Schemas/{odd}', method: 'GET', path: `/Schemas/${encodeQueryValue(segment)}`, query: [] })) },
);

const adminQuery = fc.array(
  fc.tuple(fc.constantFrom('q', 'source', 'state', 'sort', 'order', 'offset', 'limit', 'from', 'to', 'code', 'target', 'actor', 'outcome', 'cursor', 'format', 'before', 'status', 'user', 'operation', 'requestId'), fc.oneof(oddString, fc.constantFrom('-1', '0', '1e308', '99999999999', 'scim', 'local', 'desc', 'userName', '2020-01-01T00:00:00Z', 'yesterday', 'rejected', 'csv', 'ndjson', 'json', 'xml'))).map(([key, value]) => `${key}=${encodeQueryValue(value)}`),
  { maxLength: 4 },
);

const webhookUrl = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('https://hooks.invalid/x', 'http://127.0.0.1:1/', 'https://10.0.0.1/', 'https://169.254.169.254/latest/meta-data', 'ftp://x', 'not a url', '', 'https://', 'https://[::1]/', 'javascript:alert(1)', 'https://user:pass@hooks.invalid/', `https://${'a'.repeat(3_000)}.invalid/`) },
  { weight: 1, arbitrary: oddString },
);
/** Issue #23 finding 7: IPv6 forms embedding IPv4 passed the private-address check. */
const ssrfWebhookUrl = fc.constantFrom('https://[::7f00:1]/', 'https://[::ffff:0:7f00:1]/', 'https://[2002:7f00:1::]/', 'https://[::a9fe:a9fe]/');

const adminRoutes: fc.Arbitrary<Built> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('POST', 'GET'), fc.option(anyValue)).map(([method, description]) => ({ label: `${method} scim-tokens`, method, path: '/api/v1/workspaces/{slug}/scim-tokens', query: [], ...(method === 'POST' ? { body: JSON.stringify(description === null ? {} : { description }) } : {}) })) },
  { weight: 1, arbitrary: oddId.map((id) => ({ label: 'DELETE scim-tokens/{id}', method: 'DELETE', path: `/api/v1/workspaces/{slug}/scim-tokens/${id === '{user}' ? 'x' : id}`, query: [] })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('GET', 'POST'), anyValue).map(([method, description]) => ({ label: `${method} admin-keys`, method, path: '/api/v1/workspaces/{slug}/admin-keys', query: [], ...(method === 'POST' ? { body: JSON.stringify({ description }) } : {}) })) },
  { weight: 1, arbitrary: oddId.map((id) => ({ label: 'DELETE admin-keys/{id}', method: 'DELETE', path: `/api/v1/workspaces/{slug}/admin-keys/${id === '{user}' ? 'x' : id}`, query: [] })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ url: fc.oneof({ weight: 5, arbitrary: webhookUrl }, { weight: 1, arbitrary: anyValue }), eventTypes: fc.oneof(fc.constant(['platform.scim.*']), fc.array(oddString, { maxLength: 3 }), anyValue), enabled: fc.oneof(fc.boolean(), anyValue), description: fc.oneof(oddString, anyValue) }, { requiredKeys: [] })
      .map((body) => ({ label: 'POST webhooks', method: 'POST', path: '/api/v1/workspaces/{slug}/webhooks', query: [], body: JSON.stringify(body) })),
  },
  { weight: 1, arbitrary: ssrfWebhookUrl.map((url) => ({ label: 'POST webhooks (IPv6 embedding IPv4)', method: 'POST', path: '/api/v1/workspaces/{slug}/webhooks', query: [], body: JSON.stringify({ url, eventTypes: ['platform.scim.*'] })})) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('GET', 'PATCH', 'DELETE'), fc.oneof(fc.constant('{webhook}'), oddId), fc.constantFrom('', '/deliveries', '/deliveries/x/redeliver'), fc.option(fc.record({ url: webhookUrl, enabled: anyValue, eventTypes: anyValue, description: anyValue }, { requiredKeys: [] })))
      .map(([method, id, tail, body]) => ({ label: `${method} webhooks/{id}${tail}`, method: tail.endsWith('redeliver') ? 'POST' : method, path: `/api/v1/workspaces/{slug}/webhooks/${id === '{user}' ? 'x' : id}${tail}`, query: [], ...(method === 'PATCH' && body !== null ? { body: JSON.stringify(body) } : {}) })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('POST', 'PUT', 'PATCH'), fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/), oddString), fc.record({ name: fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/), oddString, anyValue), type: fc.oneof(fc.constantFrom('string', 'integer', 'decimal', 'boolean', 'dateTime', 'reference', 'complex', 'binary'), anyValue), multiValued: anyValue, required: anyValue, caseExact: anyValue, canonicalValues: fc.oneof(fc.array(oddString, { maxLength: 3 }), anyValue), description: fc.oneof(oddString, anyValue) }, { requiredKeys: [] }))
      .map(([method, name, body]) => ({ label: `${method} custom-attributes`, method, path: method === 'POST' ? '/api/v1/workspaces/{slug}/custom-attributes' : `/api/v1/workspaces/{slug}/custom-attributes/${encodeQueryValue(name)}`, query: [], body: JSON.stringify(body) })),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('deprecate', 'restore'), oddString).map(([action, name]) => ({ label: `POST custom-attributes/{name}/${action}`, method: 'POST', path: `/api/v1/workspaces/{slug}/custom-attributes/${encodeQueryValue(name)}/${action}`, query: [] })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('', '/{user}', '/{user}/history', '/{user}/roles', '/duplicates', '/x/history', `/${'9'.repeat(40)}`), adminQuery)
      .map(([tail, query]) => ({ label: `GET members${tail}`, method: 'GET', path: `/api/v1/workspaces/{slug}/members${tail}`, query })),
  },
  { weight: 1, arbitrary: fc.tuple(oddId, fc.option(rawOddBody)).map(([id, body]) => ({ label: 'POST members/{id}/merge', method: 'POST', path: `/api/v1/workspaces/{slug}/members/${id}/merge`, query: [], ...(body === null ? {} : { body }) })) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('/audit', '/audit/export', '/scim-requests', '/scim-requests/stats', '/scim-requests/x', '/scim-connection', '/scim-settings', '/role-mappings', ''), adminQuery).map(([tail, query]) => ({ label: `GET ${tail || 'workspace'}`, method: 'GET', path: `/api/v1/workspaces/{slug}${tail}`, query })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/scim-settings', '/role-mappings', '/role-mappings/{group}'), fc.constantFrom('PUT', 'POST', 'PATCH'), fc.oneof(anyValue.map((value) => JSON.stringify(value)), rawOddBody)).map(([tail, method, body]) => ({ label: `${method} ${tail}`, method, path: `/api/v1/workspaces/{slug}${tail}`, query: [], body })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('/scim-tokens', '/webhooks', '/custom-attributes', '/admin-keys'), rawOddBody).map(([tail, body]) => ({ label: `POST ${tail} (raw body)`, method: 'POST', path: `/api/v1/workspaces/{slug}${tail}`, query: [], body })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('{otherSlug}', 'NOPE', '..', '%00', 'a'.repeat(300), '%ED%A0%80'), fc.constantFrom('', '/members', '/audit', '/scim-tokens')).map(([slug, tail]) => ({ label: 'GET another/odd workspace', method: 'GET', path: `/api/v1/workspaces/${slug}${tail}`, query: [] })) },
  { weight: 1, arbitrary: fc.oneof(anyValue.map((value) => JSON.stringify(value)), rawOddBody, fc.record({ workspace: fc.oneof(fc.constant('{slug}'), oddString), adminKey: fc.oneof(oddString, anyValue) }, { requiredKeys: [] }).map((value) => JSON.stringify(value))).map((body) => ({ label: 'POST console/sessions', method: 'POST', path: '/api/v1/console/sessions', query: [], body })) },
);

export type Surface = 'scim' | 'admin';

/** One hostile request, on the SCIM routes (under the workspace's path form) or the admin API. */
export function hostileRequest(): fc.Arbitrary<HostileRequest & { surface: Surface }> {
  return fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: scimRoutes.map((built) => ({ built, surface: 'scim' as const })) }, { weight: 2, arbitrary: adminRoutes.map((built) => ({ built, surface: 'admin' as const })) }),
      oddHeaders,
      // Most requests carry a sensible content type, so they reach the routes' own checks.
      fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...contentTypes) }),
      credentialKind,
    )
    .map(([{ built, surface }, headers, oddContentType, auth]) => ({
      ...built,
      headers: {
        ...(built.body === undefined ? {} : { 'content-type': surface === 'scim' ? 'application/scim+json' : 'application/json' }),
        ...(oddContentType === null ? {} : { 'content-type': oddContentType }),
        ...headers,
        ...built.headers,
      },
      auth,
      surface,
    }));
}
