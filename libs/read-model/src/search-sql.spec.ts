import { pageClause } from './search-sql';

describe('pageClause', () => {
  it('writes the page size as a literal and binds the offset', () => {
    expect(pageClause(100, '?')).toBe('LIMIT 100 OFFSET ?');
    expect(pageClause(0, '$4')).toBe('LIMIT 0 OFFSET $4');
  });

  it.each([1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('refuses %p: only an integer page size reaches the SQL text', (limit) => {
    expect(() => pageClause(limit, '?')).toThrow(/non-negative integer/);
  });
});
