import { HttpConfig, loadConfig } from './index';
import { workspaceScimBaseUrl } from './scim-endpoint';

describe('workspaceScimBaseUrl', () => {
  const plain = loadConfig(HttpConfig, { PUBLIC_URL: 'https://scim.example.com' });
  const hosted = loadConfig(HttpConfig, { PUBLIC_URL: 'https://example.com:8443', SCIM_BASE_DOMAIN: 'axis.example.com' });

  it('shows the default workspace under plain /scim/v2 and others under their path', () => {
    expect(workspaceScimBaseUrl(plain, 'default')).toBe('https://scim.example.com/scim/v2');
    expect(workspaceScimBaseUrl(plain, 'acme')).toBe('https://scim.example.com/workspaces/acme/scim/v2');
  });

  it('prefers the host form once SCIM_BASE_DOMAIN is set, keeping scheme and port', () => {
    expect(workspaceScimBaseUrl(hosted, 'acme')).toBe('https://acme.axis.example.com:8443/scim/v2');
    expect(workspaceScimBaseUrl(hosted, 'default')).toBe('https://default.axis.example.com:8443/scim/v2');
  });

  it('answers in the form the request used', () => {
    expect(workspaceScimBaseUrl(hosted, 'acme', 'path')).toBe('https://example.com:8443/workspaces/acme/scim/v2');
    expect(workspaceScimBaseUrl(hosted, 'acme', 'plain')).toBe('https://example.com:8443/scim/v2');
  });

  it('validates the new variables', () => {
    expect(() => loadConfig(HttpConfig, { SCIM_BASE_DOMAIN: 'Not A Domain' })).toThrow(/SCIM_BASE_DOMAIN/);
    expect(() => loadConfig(HttpConfig, { SESSION_SERVICE_KEY: 'short' })).toThrow(/SESSION_SERVICE_KEY/);
    expect(() => loadConfig(HttpConfig, { SCIM_RATE_LIMIT_PER_SECOND: '-1' })).toThrow(/SCIM_RATE_LIMIT_PER_SECOND/);
    const config = loadConfig(HttpConfig, { SCIM_RATE_LIMIT_PER_SECOND: '0' });
    expect(config.SCIM_RATE_LIMIT_PER_SECOND).toBe(0);
    expect(loadConfig(HttpConfig, {}).SCIM_RATE_LIMIT_BURST).toBe(200);
  });
});
