import { BadRequestException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { WorkspaceRuleViolation } from '@axis/domain';
import { toJsonApiError } from './json-api-exception.filter';
import { jsonApiValidationPipe } from './json-api.decorators';
import { CreateScimTokenDto } from '../admin/scim-tokens/create-scim-token/create-scim-token.dto';
import { ListMembersQuery } from '../admin/members/list-members/list-members.dto';

async function validationError(metatype: new () => object, value: unknown, type: 'body' | 'query' = 'body') {
  try {
    await jsonApiValidationPipe.transform(value, { type, metatype });
  } catch (error) {
    return toJsonApiError(error);
  }
  throw new Error('validation passed');
}

describe('JSON API errors and validation', () => {
  it('rejects unknown fields, naming them', async () => {
    expect(await validationError(CreateScimTokenDto, { description: 'x', scopes: ['all'] })).toEqual({
      statusCode: 400,
      error: 'invalid_request',
      message: 'Invalid request: property scopes should not exist',
      details: ['property scopes should not exist'],
    });
  });

  it('rejects wrong types and lengths, and accepts an empty body', async () => {
    expect((await validationError(CreateScimTokenDto, { description: 'x'.repeat(201) })).details).toEqual([
      'description must be shorter than or equal to 200 characters',
    ]);
    await expect(jsonApiValidationPipe.transform(undefined, { type: 'body', metatype: CreateScimTokenDto })).resolves.toEqual({});
  });

  it('converts and bounds paging parameters', async () => {
    await expect(jsonApiValidationPipe.transform({ q: 'ada', offset: '10', limit: '5' }, { type: 'query', metatype: ListMembersQuery })).resolves.toEqual({
      q: 'ada',
      offset: 10,
      limit: 5,
    });
    expect((await validationError(ListMembersQuery, { limit: '500' }, 'query')).details).toEqual(['limit must not be greater than 200']);
    expect((await validationError(ListMembersQuery, { offset: 'x' }, 'query')).statusCode).toBe(400);
  });

  it('maps rule violations and HTTP exceptions to stable codes', () => {
    expect(toJsonApiError(new WorkspaceRuleViolation('token-not-found', 'No SCIM token t1'))).toEqual({ statusCode: 404, error: 'not_found', message: 'No SCIM token t1' });
    expect(toJsonApiError(new WorkspaceRuleViolation('already-exists', 'exists')).statusCode).toBe(409);
    expect(toJsonApiError(new WorkspaceRuleViolation('admin-key-not-found', 'No admin key k1'))).toEqual({ statusCode: 404, error: 'not_found', message: 'No admin key k1' });
    expect(toJsonApiError(new WorkspaceRuleViolation('last-admin-key', 'last'))).toEqual({ statusCode: 409, error: 'last_admin_key', message: 'last' });
    expect(toJsonApiError(new UnauthorizedException({ error: 'unauthorized', message: 'Missing key' }))).toEqual({ statusCode: 401, error: 'unauthorized', message: 'Missing key' });
    expect(toJsonApiError(new NotFoundException()).error).toBe('not_found');
    expect(toJsonApiError(new BadRequestException('nope')).error).toBe('invalid_request');
    expect(toJsonApiError(new Error('secret internals'))).toEqual({ statusCode: 500, error: 'internal', message: 'Internal error' });
  });
});
