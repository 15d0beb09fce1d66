import { SCIM_1_1_CREATE_USER } from '../testing/fixtures/idp-requests';
import { USER_SCHEMA } from '../schemas/schema-uris';
import { guardScim, SCIM_ERROR_SCHEMA, ScimError, scimErrors } from './scim-error';
import { validateSchemas } from '../schemas/schemas-validator';

describe('ScimError', () => {
  it('renders exactly the RFC 7644 error message, with a string status and the product code opening detail', () => {
    expect(scimErrors.invalidFilter('bad filter at position 3').toBody()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'SCIM_INVALID_FILTER: bad filter at position 3',
    });
    expect(SCIM_ERROR_SCHEMA).toBe('urn:ietf:params:scim:api:messages:2.0:Error');
    expect(scimErrors.unauthorized().toBody()).not.toHaveProperty('scimType');
  });

  it.each([
    [scimErrors.unauthorized(), 401, undefined, 'SCIM_UNAUTHORIZED'],
    [scimErrors.userConflict('dup'), 409, 'uniqueness', 'SCIM_USER_CONFLICT'],
    [scimErrors.schemaMismatch('x'), 400, 'invalidValue', 'SCIM_SCHEMA_MISMATCH'],
    [scimErrors.rateLimited(30), 429, undefined, 'SCIM_RATE_LIMITED'],
    [scimErrors.notFound('x'), 404, undefined, 'SCIM_NOT_FOUND'],
    [scimErrors.preconditionFailed('x'), 412, undefined, 'SCIM_PRECONDITION_FAILED'],
    [scimErrors.payloadTooLarge('x'), 413, undefined, 'SCIM_PAYLOAD_TOO_LARGE'],
    [scimErrors.mutability('x'), 400, 'mutability', 'SCIM_MUTABILITY'],
    [scimErrors.noTarget('x'), 400, 'noTarget', 'SCIM_NO_TARGET'],
    [scimErrors.methodNotAllowed('x'), 405, undefined, 'SCIM_METHOD_NOT_ALLOWED'],
    [scimErrors.notImplemented('x'), 501, undefined, 'SCIM_NOT_IMPLEMENTED'],
  ])('%s', (error, status, scimType, code) => {
    expect(error).toBeInstanceOf(ScimError);
    expect([error.status, error.scimType, error.code]).toEqual([status, scimType, code]);
  });

  it('keeps Retry-After for 429', () => {
    expect(scimErrors.rateLimited(30).retryAfterSeconds).toBe(30);
  });

  it('guardScim turns stray errors into a 500 ScimError', () => {
    expect(() => guardScim(() => { throw new RangeError('x'); })).toThrow(expect.objectContaining({ status: 500, code: 'SCIM_INTERNAL' }));
  });
});

describe('validateSchemas', () => {
  it('accepts the core schema in any case, alongside unknown URIs', () => {
    expect(() => validateSchemas({ schemas: [USER_SCHEMA.toUpperCase(), 'http://schemas.microsoft.com/x'] }, USER_SCHEMA)).not.toThrow();
  });

  it.each([
    [SCIM_1_1_CREATE_USER, 'invalidValue'],
    [{ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }, 'invalidValue'],
    [{ userName: 'x' }, 'invalidSyntax'],
    [{ schemas: 'x' }, 'invalidSyntax'],
  ])('rejects %j with SCIM_SCHEMA_MISMATCH', (body, scimType) => {
    expect(() => validateSchemas(body, USER_SCHEMA)).toThrow(expect.objectContaining({ status: 400, scimType, code: 'SCIM_SCHEMA_MISMATCH' }));
  });

  it('rejects non-objects as invalidSyntax', () => {
    expect(() => validateSchemas([], USER_SCHEMA)).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
  });
});
