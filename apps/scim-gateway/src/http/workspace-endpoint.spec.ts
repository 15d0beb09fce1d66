import type { IncomingMessage } from 'node:http';
import { resolveWorkspaceEndpoint, rewriteWorkspacePath } from './workspace-endpoint';

const config = { DEFAULT_WORKSPACE: 'default', SCIM_BASE_DOMAIN: 'scim.example.com' };

function request(url: string, host = '127.0.0.1:8080') {
  const raw = { url, headers: { host } } as unknown as IncomingMessage;
  const rewritten = rewriteWorkspacePath(raw);
  return { rewritten, endpoint: resolveWorkspaceEndpoint({ raw, headers: raw.headers }, config) };
}

describe('workspace endpoints', () => {
  it('serves plain /scim/v2 for the default workspace', () => {
    expect(request('/scim/v2/Users')).toEqual({ rewritten: '/scim/v2/Users', endpoint: { workspaceId: 'default', addressing: 'plain' } });
  });

  it('rewrites the path form onto the SCIM routes and remembers the workspace', () => {
    expect(request('/workspaces/acme/scim/v2/Users?filter=x')).toEqual({
      rewritten: '/scim/v2/Users?filter=x',
      endpoint: { workspaceId: 'acme', addressing: 'path' },
    });
    expect(request('/workspaces/acme/scim/v2').rewritten).toBe('/scim/v2');
  });

  it('leaves other paths alone', () => {
    expect(request('/workspaces/acme/other').rewritten).toBe('/workspaces/acme/other');
    expect(request('/api/v1/workspaces/acme/scim-tokens').rewritten).toBe('/api/v1/workspaces/acme/scim-tokens');
  });

  it('reads the workspace from <slug>.<SCIM_BASE_DOMAIN>, port and case aside', () => {
    expect(request('/scim/v2/Users', 'Acme.SCIM.example.com:8443').endpoint).toEqual({ workspaceId: 'acme', addressing: 'host' });
    expect(request('/scim/v2/Users', 'scim.example.com').endpoint).toEqual({ workspaceId: 'default', addressing: 'plain' });
    expect(request('/scim/v2/Users', 'acme.other.example.org').endpoint).toEqual({ workspaceId: 'default', addressing: 'plain' });
  });

  it('refuses names that cannot be a workspace, and two different names', () => {
    expect(request('/scim/v2/Users', 'a.b.scim.example.com').endpoint).toBeNull();
    expect(request('/workspaces/Not%20A%20Slug/scim/v2/Users').endpoint).toBeNull();
    expect(request('/workspaces/acme/scim/v2/Users', 'beta.scim.example.com').endpoint).toBeNull();
    expect(request('/workspaces/acme/scim/v2/Users', 'acme.scim.example.com').endpoint).toEqual({ workspaceId: 'acme', addressing: 'path' });
  });
});
