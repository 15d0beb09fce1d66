import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA } from '../schemas/schema-uris';
import { buildListResponse, fitPageToBudget, MAX_START_INDEX, normalizePaging, paginate, parseListQuery, parseSearchRequest, toSqlPaging } from './list-request';
import { createResourceComparator, resolveSortBy } from './sort-resolver';

describe('paging', () => {
  it.each([
    [undefined, undefined, { startIndex: 1, count: 200 }],
    ['0', '10', { startIndex: 1, count: 10 }],
    ['-5', '-1', { startIndex: 1, count: 0 }],
    ['3', '0', { startIndex: 3, count: 0 }],
    ['1', '100000', { startIndex: 1, count: 200 }],
    ['abc', 'x', { startIndex: 1, count: 200 }],
    [7, 5, { startIndex: 7, count: 5 }],
    // Numbers no store takes as OFFSET/LIMIT (#23 finding 4): startIndex is clamped, count capped.
    ['9223372036854775808', '9223372036854775808', { startIndex: MAX_START_INDEX, count: 200 }],
    [1e308, 1e308, { startIndex: MAX_START_INDEX, count: 200 }],
    [-1e308, -1e308, { startIndex: 1, count: 0 }],
    ['-9223372036854775809', '-9223372036854775809', { startIndex: 1, count: 0 }],
    ['1e308', '-1e308', { startIndex: 1, count: 200 }],
    ['NaN', 'Infinity', { startIndex: 1, count: 200 }],
    [Number.NaN, Number.POSITIVE_INFINITY, { startIndex: 1, count: 200 }],
    ['0x10', '1.5', { startIndex: 1, count: 200 }],
    [MAX_START_INDEX + 1, 3, { startIndex: MAX_START_INDEX, count: 3 }],
  ])('startIndex=%j count=%j', (startIndex, count, expected) => {
    expect(normalizePaging(startIndex, count)).toEqual(expected);
  });

  it('maps to LIMIT/OFFSET and slices in memory', () => {
    expect(toSqlPaging({ startIndex: 11, count: 5 })).toEqual({ limit: 5, offset: 10 });
    expect(paginate([1, 2, 3, 4, 5], { startIndex: 2, count: 2 })).toEqual([2, 3]);
    expect(paginate([1, 2], { startIndex: 5, count: 2 })).toEqual([]);
  });

  it('keeps the first resources of a page that fit the JSON budget, at least one', () => {
    const items = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)];
    expect(fitPageToBudget(items, (item) => item, 100)).toEqual(items.slice(0, 2));
    expect(fitPageToBudget(items, (item) => item, 1_000)).toEqual(items);
    expect(fitPageToBudget(items, (item) => item, 10)).toEqual(items.slice(0, 1));
    expect(fitPageToBudget([], (item) => item, 10)).toEqual([]);
  });

  it('builds a ListResponse with integers', () => {
    expect(buildListResponse([{ id: 'a' }], 12, { startIndex: 3 })).toEqual({ schemas: [LIST_RESPONSE_SCHEMA], totalResults: 12, itemsPerPage: 1, startIndex: 3, Resources: [{ id: 'a' }] });
    expect(buildListResponse([], 0, { startIndex: 1 })).toMatchObject({ totalResults: 0, Resources: [] });
  });
});

describe('list requests', () => {
  it('reads the Okta import query and the Entra group query', () => {
    expect(parseListQuery({ filter: 'userName eq "test.user@okta.local"', startIndex: '1', count: '100' })).toEqual({ filter: 'userName eq "test.user@okta.local"', startIndex: 1, count: 100, sortOrder: 'ascending' });
    expect(parseListQuery({ excludedAttributes: 'members', filter: 'displayName eq "x"' })).toMatchObject({ excludedAttributes: ['members'], count: 200 });
    expect(parseListQuery({ SortBy: ['userName', 'x'], sortOrder: 'DESCENDING', attributes: 'userName,emails' })).toMatchObject({ sortBy: 'userName', sortOrder: 'descending', attributes: ['userName', 'emails'] });
    expect(() => parseListQuery({ sortOrder: 'up' })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('reads a SearchRequest body', () => {
    expect(parseSearchRequest({ schemas: [SEARCH_REQUEST_SCHEMA], attributes: ['displayName', 'userName'], filter: 'displayName sw "smith"', startIndex: 1, count: 10 })).toEqual({
      attributes: ['displayName', 'userName'],
      filter: 'displayName sw "smith"',
      startIndex: 1,
      count: 10,
      sortOrder: 'ascending',
    });
    expect(() => parseSearchRequest({ filter: 'x' })).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
    expect(() => parseSearchRequest({ schemas: [SEARCH_REQUEST_SCHEMA], attributes: [1] })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('sorts stably: nulls last, id tiebreak, multi-valued by primary value', () => {
    const users = createDefaultSchemaRegistry().forResourceType('User');
    const resources = [
      { id: 'c', userName: 'b', emails: [{ value: 'z@x', primary: true }, { value: 'a@x' }] },
      { id: 'a', userName: 'B' },
      { id: 'b', emails: [{ value: 'm@x' }] },
    ];
    const ids = (sortBy: string, order: 'ascending' | 'descending') => [...resources].sort(createResourceComparator(resolveSortBy(sortBy, users), order)).map((r) => r.id);
    expect(ids('userName', 'ascending')).toEqual(['a', 'c', 'b']);
    expect(ids('userName', 'descending')).toEqual(['a', 'c', 'b']);
    expect(ids('emails', 'ascending')).toEqual(['b', 'c', 'a']);
  });
});
