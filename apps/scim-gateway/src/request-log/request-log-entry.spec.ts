import { type FinishedScimRequest, operationOf, toLogRow } from './request-log-entry';
import { MAX_LOGGED_BODY_CHARS, REDACTED } from './request-log-redaction';

function finished(overrides: Partial<FinishedScimRequest>): FinishedScimRequest {
  return {
    id: 'row-1',
    workspaceId: 'acme',
    requestId: 'req-1',
    at: '2026-01-01T00:00:00.000Z',
    method: 'GET',
    url: '/scim/v2/Users',
    status: 200,
    errorCode: null,
    dialect: 'entra',
    latencyMs: 3,
    tokenPrefix: 'scim_AbCd1234',
    body: undefined,
    responseText: null,
    ...overrides,
  };
}

describe('request-log rows', () => {
  it.each([
    ['POST', '/scim/v2/Users', 'users.create'],
    ['GET', '/scim/v2/Users', 'users.list'],
    ['POST', '/scim/v2/Users/.search', 'users.search'],
    ['GET', '/scim/v2/Users/abc', 'users.get'],
    ['PUT', '/scim/v2/Users/abc', 'users.replace'],
    ['PATCH', '/workspaces/acme/scim/v2/Users/abc', 'users.patch'],
    ['DELETE', '/scim/v2/Groups/g1', 'groups.delete'],
    ['PATCH', '/scim/v2/Groups/g1', 'groups.patch'],
    ['GET', '/scim/v2/ServiceProviderConfig', 'serviceProviderConfig.get'],
    ['GET', '/scim/v2/Schemas/urn:x', 'schemas.get'],
    ['PUT', '/scim/v2/Users', 'users.put'],
    ['GET', '/scim/v2', 'root.get'],
    ['POST', '/workspaces/acme/scim/v2/.search', 'root.search'],
  ])('%s %s is %s', (method, path, operation) => {
    expect(operationOf(method, path)).toBe(operation);
  });

  it('replaces U+0000 (PostgreSQL text cannot hold it) in every field, so one hostile row cannot fail its batch', () => {
    const row = toLogRow(finished({ method: 'PATCH', url: '/scim/v2/Users/a%00b?filter=userName%20eq%20%22x%00%22', responseText: '{"detail":"a\u0000"}' }));
    for (const value of Object.values(row)) if (typeof value === 'string') expect(value).not.toContain('\u0000');
    expect(row.resourceId).toBe('a\ufffdb');
  });

  it('keeps the path without its query, the query redacted, the lookup userName and no body when there is none', () => {
    const row = toLogRow(finished({ url: '/workspaces/acme/scim/v2/Users?filter=userName%20eq%20%22Pilot%40Example.com%22&access_token=abc' }));
    expect(row).toMatchObject({
      path: '/workspaces/acme/scim/v2/Users',
      operation: 'users.list',
      userNameLc: 'pilot@example.com',
      resourceId: null,
      requestBody: null,
      responseBody: null,
      truncated: false,
    });
    expect(new URLSearchParams(row.query!).get('access_token')).toBe(REDACTED);
    expect(new URLSearchParams(row.query!).get('filter')).toBe('userName eq "Pilot@Example.com"');
  });

  it('takes a created resource id from the answer and redacts the password of the request', () => {
    const row = toLogRow(
      finished({
        method: 'POST',
        status: 201,
        body: { userName: 'New@Example.com', password: 'hunter2' },
        responseText: '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-42","userName":"New@Example.com"}',
      }),
    );
    expect(row).toMatchObject({ operation: 'users.create', resourceId: 'u-42', userNameLc: 'new@example.com' });
    expect(JSON.parse(row.requestBody!)).toEqual({ userName: 'New@Example.com', password: REDACTED });
  });

  it('takes the id of a PATCH from its path and caps long bodies', () => {
    const row = toLogRow(finished({ method: 'PATCH', url: '/scim/v2/Users/u%2042', body: { note: 'x'.repeat(MAX_LOGGED_BODY_CHARS) }, responseText: '{}' }));
    expect(row).toMatchObject({ operation: 'users.patch', resourceId: 'u 42', truncated: true, responseBody: '{}' });
    expect(row.requestBody).toHaveLength(MAX_LOGGED_BODY_CHARS);
  });
});
