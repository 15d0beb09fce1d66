import { ScimError } from '../errors/scim-error';
import { BULK_REQUEST_SCHEMA } from '../schemas/schema-uris';
import { parseBulkRequest } from './bulk-request';

const bulkOf = (Operations: unknown, extra: Record<string, unknown> = {}) => ({ schemas: [BULK_REQUEST_SCHEMA], Operations, ...extra });
const errorOf = (work: () => unknown): ScimError => {
  try {
    work();
  } catch (error) {
    return error as ScimError;
  }
  throw new Error('expected a ScimError');
};

describe('parseBulkRequest', () => {
  it('reads operations case-insensitively, keeping their index, method, path, bulkId, version and data', () => {
    const parsed = parseBulkRequest({
      schemas: [BULK_REQUEST_SCHEMA.toUpperCase()],
      FAILONERRORS: 2,
      operations: [
        { Method: 'post', Path: '/Users', BULKID: 'a', Data: { userName: 'a' } },
        { method: 'DELETE', path: '/Groups/g-1', version: 'W/"3"' },
      ],
    });
    expect(parsed).toEqual({
      failOnErrors: 2,
      refused: [],
      operations: [
        { index: 0, method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'a' } },
        { index: 1, method: 'DELETE', path: '/Groups/g-1', version: 'W/"3"' },
      ],
    });
  });

  it('refuses a body that is no BulkRequest as a whole', () => {
    expect(errorOf(() => parseBulkRequest([])).scimType).toBe('invalidSyntax');
    expect(errorOf(() => parseBulkRequest({ schemas: ['urn:x'], Operations: [] })).scimType).toBe('invalidSyntax');
    expect(errorOf(() => parseBulkRequest({ schemas: [BULK_REQUEST_SCHEMA] })).scimType).toBe('invalidSyntax');
    expect(errorOf(() => parseBulkRequest(bulkOf([], { failOnErrors: 0 }))).scimType).toBe('invalidValue');
    expect(errorOf(() => parseBulkRequest(bulkOf([], { failOnErrors: 1.5 }))).scimType).toBe('invalidValue');
  });

  it('answers 413 beyond maxOperations', () => {
    const error = errorOf(() => parseBulkRequest(bulkOf(Array.from({ length: 4 }, () => ({ method: 'DELETE', path: '/Users/x' }))), 3));
    expect({ status: error.status, code: error.code }).toEqual({ status: 413, code: 'SCIM_PAYLOAD_TOO_LARGE' });
    expect(parseBulkRequest(bulkOf(Array.from({ length: 3 }, () => ({ method: 'DELETE', path: '/Users/x' }))), 3).operations).toHaveLength(3);
  });

  it('refuses a bulkId used twice', () => {
    const twice = bulkOf([
      { method: 'POST', path: '/Users', bulkId: 'a', data: {} },
      { method: 'POST', path: '/Groups', bulkId: 'a', data: {} },
    ]);
    expect(errorOf(() => parseBulkRequest(twice)).detail).toMatch(/bulkId "a" is used by more than one operation/);
  });

  it.each([
    ['an operation that is no object', 'x', 'invalidSyntax'],
    ['an unknown method', { method: 'GET', path: '/Users' }, 'invalidValue'],
    ['a POST without bulkId', { method: 'POST', path: '/Users', data: {} }, 'invalidValue'],
    ['a POST to a resource', { method: 'POST', path: '/Users/1', bulkId: 'a', data: {} }, 'invalidPath'],
    ['a PUT to a collection', { method: 'PUT', path: '/Users', data: {} }, 'invalidPath'],
    ['a path outside Users and Groups', { method: 'DELETE', path: '/Bulk/1' }, 'invalidPath'],
    ['a path with a query', { method: 'DELETE', path: '/Users/1?x=y' }, 'invalidPath'],
    ['a PATCH without data', { method: 'PATCH', path: '/Users/1' }, 'invalidSyntax'],
    ['an empty bulkId', { method: 'DELETE', path: '/Users/1', bulkId: '' }, 'invalidValue'],
    ['a version that is no string', { method: 'DELETE', path: '/Users/1', version: 3 }, 'invalidValue'],
  ])('refuses %s in its place and keeps the others', (_name, operation, scimType) => {
    const parsed = parseBulkRequest(bulkOf([operation, { method: 'DELETE', path: '/Users/2' }]));
    expect(parsed.refused.map((refused) => ({ index: refused.index, scimType: refused.error.scimType }))).toEqual([{ index: 0, scimType }]);
    expect(parsed.operations).toEqual([{ index: 1, method: 'DELETE', path: '/Users/2' }]);
  });
});
