import { planBulk, referencedBulkIds, withResolvedBulkIds } from './bulk-plan';
import type { BulkOperation } from './bulk-request';

const post = (index: number, bulkId: string, data: unknown = {}): BulkOperation => ({ index, method: 'POST', path: '/Groups', bulkId, data });
const patch = (index: number, path: string, data: unknown = {}): BulkOperation => ({ index, method: 'PATCH', path, data });
const members = (...bulkIds: string[]) => ({ members: bulkIds.map((bulkId) => ({ value: `bulkId:${bulkId}` })) });

describe('bulkId references', () => {
  it('finds references in the path and anywhere in the data, and replaces those it knows', () => {
    const operation = patch(0, '/Users/bulkId:a', { Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:b' }, { value: 'plain' }] }] });
    expect([...referencedBulkIds(operation)].sort()).toEqual(['a', 'b']);
    expect(withResolvedBulkIds(operation, new Map([['a', 'id a'], ['b', 'id-b']]))).toEqual({
      index: 0,
      method: 'PATCH',
      path: '/Users/id%20a',
      data: { Operations: [{ op: 'add', path: 'members', value: [{ value: 'id-b' }, { value: 'plain' }] }] },
    });
  });
});

describe('planBulk', () => {
  const orderOf = (operations: BulkOperation[]) => planBulk(operations).order.map((operation) => operation.index);

  it('keeps the request order when nothing refers to a later POST', () => {
    expect(orderOf([post(0, 'a'), post(1, 'b', members('a')), patch(2, '/Groups/bulkId:b')])).toEqual([0, 1, 2]);
  });

  it('runs an operation after the POSTs it refers to, and the others as early as they can', () => {
    // 0 waits for 2; 1 depends on nothing and is not held back by 0.
    expect(orderOf([post(0, 'team', members('ada')), post(1, 'other'), post(2, 'ada'), patch(3, '/Groups/bulkId:team')])).toEqual([1, 2, 0, 3]);
  });

  it('refuses references no POST defines', () => {
    const plan = planBulk([patch(0, '/Users/bulkId:ghost'), post(1, 'a')]);
    expect(plan.order.map((operation) => operation.index)).toEqual([1]);
    expect(plan.refused.map((refused) => [refused.index, refused.error.status, refused.error.scimType])).toEqual([[0, 409, 'invalidValue']]);
  });

  it('refuses a cycle, a POST referring to itself, and what waits on them', () => {
    const plan = planBulk([post(0, 'g1', members('g2')), post(1, 'g2', members('g1')), post(2, 'self', members('self')), patch(3, '/Groups/bulkId:g1'), post(4, 'free')]);
    expect(plan.order.map((operation) => operation.index)).toEqual([4]);
    expect(plan.refused.map((refused) => refused.index).sort()).toEqual([0, 1, 2, 3]);
    for (const refused of plan.refused) expect(refused.error.detail).toMatch(/circular bulkId reference/);
  });

  it('refuses what refers to a POST that was itself refused', () => {
    const plan = planBulk([post(0, 'a', members('ghost')), patch(1, '/Groups/bulkId:a')]);
    expect(plan.order).toEqual([]);
    expect(plan.refused.map((refused) => [refused.index, refused.error.detail])).toEqual([
      [0, expect.stringMatching(/bulkId:ghost, which no POST of this request defines/)],
      [1, expect.stringMatching(/POST was refused/)],
    ]);
  });
});
