import fc from 'fast-check';
import { ScimError } from '../errors/scim-error';
import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { ENTERPRISE_USER_SCHEMA } from '../schemas/schema-uris';
import { storedGroup, storedUser } from '../testing/resource-fixtures';
import { PING_FILTER_EXPRESSION, PING_FILTER_USERNAME, PING_FILTER_WORK_EMAIL } from '../testing/fixtures/idp-requests';
import { evaluateFilter } from './filter-evaluator';
import { FILTER_MAX_DEPTH, FILTER_MAX_LENGTH, parseFilter } from './filter-parser';

const registry = createDefaultSchemaRegistry();
const users = registry.forResourceType('User');
const groups = registry.forResourceType('Group');
const user = storedUser();

const matches = (filter: string, resource = user) => evaluateFilter(parseFilter(filter, users), resource);

function expectInvalidFilter(work: () => unknown): void {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    const scim = error as ScimError;
    expect(scim.status).toBe(400);
    expect(scim.scimType).toBe('invalidFilter');
    expect(scim.code).toBe('SCIM_INVALID_FILTER');
    return;
  }
  throw new Error('expected invalidFilter');
}

describe('filter operators (evaluated against the RFC 7643 example user)', () => {
  it.each([
    // eq: userName is caseExact false, externalId and id are caseExact true
    ['userName eq "bjensen@example.com"', true],
    ['userName eq "BJENSEN@EXAMPLE.COM"', true],
    ['userName eq "someone@example.com"', false],
    ['externalId eq "bjensen-ext"', true],
    ['externalId eq "BJENSEN-EXT"', false],
    ['id eq "2819c223-7f76-453a-919d-413861904646"', true],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    // ne is not(eq): a missing attribute is "not equal"
    ['userName ne "bjensen@example.com"', false],
    ['title ne "Boss"', true],
    // co / sw / ew follow caseExact
    ['userName co "JENSEN"', true],
    ['externalId co "JENSEN"', false],
    ['userName sw "bjen"', true],
    ['userName sw "jensen"', false],
    ['userName ew "EXAMPLE.com"', true],
    ['externalId ew "ext"', true],
    ['externalId ew "EXT"', false],
    // pr
    ['title pr', false],
    ['displayName pr', true],
    ['name pr', true],
    ['emails pr', true],
    ['ims pr', false],
    // ordering: strings lexically, dateTime as instants
    ['userName gt "a"', true],
    ['userName lt "a"', false],
    ['userName ge "bjensen@example.com"', true],
    ['userName le "bjensen@example.com"', true],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified gt "2011-05-13T06:42:34+03:00"', true],
    ['meta.created lt "2011-01-01T00:00:00Z"', true],
    ['meta.created le "2010-01-23T04:56:22Z"', true],
    // booleans
    ['active eq true', true],
    ['active eq false', false],
    ['active ne false', true],
    // null
    ['title eq null', true],
    ['userName eq null', false],
    ['title ne null', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });
});

describe('filter grammar', () => {
  it.each([
    ['userName Eq "bjensen@example.com"', true],
    ['Username EQ "bjensen@example.com"', true],
    ['USERNAME eq "bjensen@example.com" AND active Eq TRUE', true],
    ['title pr or userName eq "bjensen@example.com"', true],
    ['title pr and userName eq "bjensen@example.com"', false],
    ['title pr or active eq true and userName eq "nobody"', false],
    ['(title pr or active eq true) and userName eq "bjensen@example.com"', true],
    ['not (userName eq "bjensen@example.com")', false],
    ['NOT(title pr)', true],
    ['not(not(active eq true))', true],
    ['emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "home" and value co "@example.com"]', false],
    ['emails[not(type eq "work")]', true],
    ['emails[type eq "work"].value eq "bjensen@example.com"', true],
    ['emails[type eq "home"].value eq "bjensen@example.com"', false],
    ['emails.type eq "home"', true],
    ['emails.value ew "jensen.org"', true],
    ['name.givenName eq "barbara"', true],
    ['name.familyName sw "Jen"', true],
    ['name[givenName eq "Barbara"]', true],
    [`${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "701984"`, true],
    [`${ENTERPRISE_USER_SCHEMA.toUpperCase()}:EMPLOYEENUMBER eq "701984"`, true],
    [`${ENTERPRISE_USER_SCHEMA}:manager.value eq "26118915-6090-4610-87a4-9e6dc4be9e1f"`, true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen@example.com"', true],
    ['department eq "tour operations"', true],
    ['userName eq "bjensen\\u0040example.com"', true],
    ['displayName eq "Babs\\u0020Jensen"', true],
    // lenient forms real IdPs send
    [PING_FILTER_WORK_EMAIL.replace('jane.doe@example.com', 'babs@jensen.org'), true],
    [PING_FILTER_EXPRESSION.replace('jane.doe@example.com', 'BJensen@example.com'), true],
    ['emails eq "nobody@example.com"', false],
    ['externalId eq bjensen-ext', true],
    ['userName sw B', true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('parses JSON string escapes', () => {
    const node = parseFilter('displayName eq "a\\"b\\\\c\\/d\\n\\t\\u00e9"', users);
    expect(node).toMatchObject({ kind: 'compare', value: 'a"b\\c/d\n\té' });
  });

  it('parses numbers, booleans and null literals', () => {
    expect(parseFilter('active eq TRUE', users)).toMatchObject({ value: true });
    expect(parseFilter('title eq null', users)).toMatchObject({ value: null });
    expect(parseFilter('employeeNumber eq 701984', users)).toMatchObject({ value: '701984' });
  });

  it('builds n-ary and/or nodes with and binding tighter than or', () => {
    const node = parseFilter('title pr or userName pr and active pr or nickName pr', users);
    expect(node.kind).toBe('or');
    expect(node.kind === 'or' && node.operands.map((n) => n.kind)).toEqual(['present', 'and', 'present']);
  });

  it('binds attributes to their definitions with canonical paths', () => {
    const node = parseFilter('NAME.GIVENNAME eq "x"', users);
    expect(node).toMatchObject({ kind: 'compare', attribute: { path: 'name.givenName' } });
    expect(parseFilter('manager.value eq "x"', users)).toMatchObject({ attribute: { path: `${ENTERPRISE_USER_SCHEMA}:manager.value`, extension: true } });
  });

  it('filters groups on displayName (case-insensitive) and members', () => {
    const group = storedGroup();
    expect(evaluateFilter(parseFilter('displayName eq "tour guides"', groups), group)).toBe(true);
    expect(evaluateFilter(parseFilter('members[value eq "f648f8d5ea4e4cd38e9c"]', groups), group)).toBe(true);
    expect(evaluateFilter(parseFilter('members.value eq "F648F8D5EA4E4CD38E9C"', groups), group)).toBe(false);
    expect(evaluateFilter(parseFilter('members eq "9c26ba1c4a7e4e2c8d11"', groups), group)).toBe(true);
  });

  it('accepts the Ping and Okta matching filters', () => {
    expect(() => parseFilter(PING_FILTER_USERNAME, users)).not.toThrow();
    expect(() => parseFilter(PING_FILTER_WORK_EMAIL, users)).not.toThrow();
  });
});

describe('invalid filters are invalidFilter', () => {
  it.each([
    [''],
    ['   '],
    ['JOHN@X.COM'],
    ['johnsmith'],
    ['userName'],
    ['userName eq'],
    ['userName eq "unterminated'],
    ['userName xx "a"'],
    ['userName eq "a" and'],
    ['userName eq "a" or or title pr'],
    ['(userName eq "a"'],
    ['userName eq "a")'],
    ['unknownAttr eq "a"'],
    ['name.unknown eq "a"'],
    ['urn:example:unknown:attr eq "a"'],
    ['emails[type eq "work"'],
    ['emails[type eq "work"]]'],
    ['emails[unknown eq "x"]'],
    ['emails[type eq "work"].nope eq "x"'],
    ['emails[type eq "work" and emails[value pr]]'],
    ['userName[value eq "x"]'],
    ['name eq "x"'],
    ['active gt true'],
    ['active co "t"'],
    ['active eq "yes"'],
    ['meta.created co "2010"'],
    ['meta.created gt "yesterday"'],
    ['userName gt null'],
    ['userName eq "bad \\x escape"'],
    ['userName eq "\\u12"'],
    ['userName eq 1e999'],
    ['not userName eq "a"'],
    ['x509Certificates.value gt "a"'],
  ])('%j', (filter) => {
    expectInvalidFilter(() => parseFilter(filter, users));
  });

  it('rejects non-strings', () => {
    expectInvalidFilter(() => parseFilter(42, users));
    expectInvalidFilter(() => parseFilter(undefined, users));
  });

  it(`rejects filters longer than ${FILTER_MAX_LENGTH} characters`, () => {
    const long = `userName eq "${'a'.repeat(FILTER_MAX_LENGTH)}"`;
    expectInvalidFilter(() => parseFilter(long, users));
    expect(() => parseFilter(`userName eq "${'a'.repeat(FILTER_MAX_LENGTH - 20)}"`, users)).not.toThrow();
  });

  it(`rejects nesting deeper than ${FILTER_MAX_DEPTH}`, () => {
    const nested = (depth: number) => `${'('.repeat(depth)}title pr${')'.repeat(depth)}`;
    expect(() => parseFilter(nested(FILTER_MAX_DEPTH), users)).not.toThrow();
    expectInvalidFilter(() => parseFilter(nested(FILTER_MAX_DEPTH + 1), users));
    expectInvalidFilter(() => parseFilter(`${'not('.repeat(2000)}title pr${')'.repeat(2000)}`, users));
    expectInvalidFilter(() => parseFilter('('.repeat(4000), users));
  });

  it('handles long flat chains without recursion', () => {
    const chain = Array.from({ length: 150 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    expect(matches(chain)).toBe(false);
  });
});

describe('property: the parser returns an AST or throws invalidFilter, never anything else', () => {
  const check = (input: string): void => {
    try {
      const node = parseFilter(input, users);
      expect(typeof node.kind).toBe('string');
    } catch (error) {
      if (!(error instanceof ScimError) || error.scimType !== 'invalidFilter' || error.status !== 400) throw error;
    }
  };

  it('random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), check), { numRuns: 3000 });
  });

  it('random near-valid token sequences', () => {
    const token = fc.constantFrom(
      'userName', 'emails', 'emails.value', 'name.givenName', 'meta.created', 'active', 'members', 'type', 'value',
      `${ENTERPRISE_USER_SCHEMA}:manager.value`, `${ENTERPRISE_USER_SCHEMA}:`, 'urn:', 'x',
      'eq', 'ne', 'co', 'sw', 'ew', 'pr', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not', 'AND', 'Or',
      '(', ')', '[', ']', '.', '"a"', '"', '"\\', '"\\u00', 'true', 'false', 'null', '12', '-1.5e3', '2011-05-13T04:42:34Z',
      '"2011-05-13T04:42:34Z"', ' ', '  ', '\t',
    );
    fc.assert(fc.property(fc.array(token, { maxLength: 30 }).map((tokens) => tokens.join(' ')), check), { numRuns: 5000 });
    fc.assert(fc.property(fc.array(token, { maxLength: 30 }).map((tokens) => tokens.join('')), check), { numRuns: 3000 });
  });
});
