import { ApiError } from './errors';
import { createConsoleClient, setCsrfToken, whenSignedOut } from './client';

function fakeFetch(status: number, body: unknown) {
  const seen: Request[] = [];
  const fetch = async (input: Request) => {
    seen.push(input);
    return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { seen, fetch: fetch as unknown as typeof globalThis.fetch };
}

const path = { slug: 'acme' };

describe('console API client', () => {
  afterEach(() => {
    setCsrfToken(null);
    whenSignedOut(null);
  });

  it('given a session, when it sends an unsafe request, then the CSRF token goes in X-CSRF-Token', async () => {
    const { seen, fetch } = fakeFetch(201, { id: 't', prefix: 'scim_x', description: null, createdAt: '', createdBy: '', scimEndpointUrl: '', token: 'scim_x' });
    setCsrfToken('csrf-1');
    await createConsoleClient({ baseUrl: 'http://console.test', fetch }).POST('/api/v1/workspaces/{slug}/scim-tokens', { params: { path }, body: {} });
    expect(seen[0]!.headers.get('x-csrf-token')).toBe('csrf-1');
  });

  it('given a session, when it reads, then no CSRF header is sent and cookies stay same-origin', async () => {
    const { seen, fetch } = fakeFetch(200, { items: [] });
    setCsrfToken('csrf-1');
    await createConsoleClient({ baseUrl: 'http://console.test', fetch }).GET('/api/v1/workspaces/{slug}/scim-tokens', { params: { path } });
    expect(seen[0]!.headers.get('x-csrf-token')).toBeNull();
    expect(seen[0]!.credentials).toBe('same-origin');
  });

  it('given an admin API error body, when the call fails, then it rejects with an ApiError in words with the product code', async () => {
    const { fetch } = fakeFetch(409, { error: 'last_admin_key', message: 'the last active admin key cannot be revoked' });
    const call = createConsoleClient({ baseUrl: 'http://console.test', fetch }).DELETE('/api/v1/workspaces/{slug}/admin-keys/{id}', { params: { path: { ...path, id: 'k1' } } });
    const error: unknown = await call.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'last_admin_key' });
    expect((error as ApiError).message).toContain('last active admin key');
  });

  it('given an expired session, when an admin route answers 401, then the console is told it is signed out', async () => {
    const signedOut = jest.fn();
    whenSignedOut(signedOut);
    const { fetch } = fakeFetch(401, { error: 'unauthorized', message: 'no session' });
    await createConsoleClient({ baseUrl: 'http://console.test', fetch })
      .GET('/api/v1/workspaces/{slug}/scim-tokens', { params: { path } })
      .catch(() => undefined);
    expect(signedOut).toHaveBeenCalledTimes(1);
  });

  it('given a wrong admin key, when sign-in answers 401, then it is an error of the form, not a sign-out', async () => {
    const signedOut = jest.fn();
    whenSignedOut(signedOut);
    const { fetch } = fakeFetch(401, { error: 'unauthorized', message: 'wrong workspace or admin key' });
    const error: unknown = await createConsoleClient({ baseUrl: 'http://console.test', fetch })
      .POST('/api/v1/console/sessions', { body: { workspace: 'acme', adminKey: 'adm_wrong' } })
      .catch((failure: unknown) => failure);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(signedOut).not.toHaveBeenCalled();
  });
});
