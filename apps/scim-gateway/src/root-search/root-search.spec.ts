import { type ListRequest, scimErrors } from '@axis/scim';
import { searchAcrossTypes, type TypeSearch } from './root-search';

/** A type's search over a fixed list, paged as the store pages; `budget` cuts a page as the page budget does. */
function typeOver(names: readonly string[], options: { knows?: (request: ListRequest) => void; budget?: number } = {}): TypeSearch & { requests: ListRequest[] } {
  const requests: ListRequest[] = [];
  const search = async (request: ListRequest) => {
    requests.push(request);
    options.knows?.(request);
    const ordered = request.sortBy === undefined ? names : [...names].sort().reverse();
    const page = ordered.slice(request.startIndex - 1, request.startIndex - 1 + request.count).slice(0, options.budget ?? Infinity);
    return { totalResults: names.length, Resources: [...page] };
  };
  return Object.assign(search, { requests });
}

const request = (startIndex: number, count: number, extra: Partial<ListRequest> = {}): ListRequest => ({ startIndex, count, sortOrder: 'ascending', ...extra });
const resourcesOf = (answer: Record<string, unknown>) => answer['Resources'];

describe('root search paging across Users and Groups', () => {
  const users = ['u1', 'u2', 'u3'];
  const groups = ['g1', 'g2'];

  it.each([
    [1, 10, ['u1', 'u2', 'u3', 'g1', 'g2']],
    [1, 2, ['u1', 'u2']],
    [3, 2, ['u3', 'g1']],
    [4, 2, ['g1', 'g2']],
    [5, 2, ['g2']],
    [6, 2, []],
    [1, 0, []],
  ])('startIndex %i, count %i gives %j of five', async (startIndex, count, expected) => {
    const answer = await searchAcrossTypes(request(startIndex, count), [typeOver(users), typeOver(groups)]);
    expect(resourcesOf(answer)).toEqual(expected);
    expect(answer).toMatchObject({ totalResults: 5, itemsPerPage: expected.length, startIndex });
  });

  it('asks a type that comes after a full page for its total only', async () => {
    const groupSearch = typeOver(groups);
    await searchAcrossTypes(request(1, 2), [typeOver(users), groupSearch]);
    expect(groupSearch.requests).toEqual([expect.objectContaining({ startIndex: 1, count: 0 })]);
  });

  it('ends the page where a type’s budget cut it, so that the next page continues there', async () => {
    const answer = await searchAcrossTypes(request(1, 10), [typeOver(users, { budget: 2 }), typeOver(groups)]);
    expect(answer).toMatchObject({ totalResults: 5, itemsPerPage: 2, Resources: ['u1', 'u2'] });
  });

  it('leaves out a type that does not know the filter’s attributes, and refuses a filter no type knows', async () => {
    const refusesFilter = () => {
      throw scimErrors.invalidFilter('Unknown attribute "userName"');
    };
    const answer = await searchAcrossTypes(request(1, 10, { filter: 'userName sw "u"' }), [typeOver(users), typeOver(groups, { knows: refusesFilter })]);
    expect(answer).toMatchObject({ totalResults: 3, Resources: users });
    await expect(searchAcrossTypes(request(1, 10, { filter: 'nope pr' }), [typeOver(users, { knows: refusesFilter }), typeOver(groups, { knows: refusesFilter })])).rejects.toMatchObject({
      scimType: 'invalidFilter',
    });
  });

  it('sorts each type that knows the sortBy, keeps the others in their order, and refuses a sortBy no type knows', async () => {
    const refusesSort = (typeRequest: ListRequest) => {
      if (typeRequest.sortBy !== undefined) throw scimErrors.invalidValue(`Cannot sort by unknown attribute "${typeRequest.sortBy}"`);
    };
    const answer = await searchAcrossTypes(request(1, 10, { sortBy: 'userName' }), [typeOver(users), typeOver(groups, { knows: refusesSort })]);
    expect(resourcesOf(answer)).toEqual(['u3', 'u2', 'u1', 'g1', 'g2']);
    await expect(searchAcrossTypes(request(1, 10, { sortBy: 'nope' }), [typeOver(users, { knows: refusesSort }), typeOver(groups, { knows: refusesSort })])).rejects.toMatchObject({
      scimType: 'invalidValue',
    });
  });

  it('passes on any other refusal', async () => {
    const unavailable = () => {
      throw scimErrors.invalidSyntax('bad');
    };
    await expect(searchAcrossTypes(request(1, 10), [typeOver(users), typeOver(groups, { knows: unavailable })])).rejects.toMatchObject({ scimType: 'invalidSyntax' });
  });
});
