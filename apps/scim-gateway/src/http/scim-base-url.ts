import { type HttpConfig, workspaceScimBaseUrl } from '@axis/config';
import type { WorkspaceEndpoint } from './workspace-endpoint';

/**
 * The SCIM endpoint URL an admin pastes into the IdP, and the base of `meta.location`. Given the
 * request's endpoint (`principal.endpoint`), it answers in the form the request used (host,
 * `/workspaces/<slug>/scim/v2` or plain); without one, the default workspace's plain URL.
 */
export function scimBaseUrl(config: HttpConfig, endpoint?: WorkspaceEndpoint): string {
  return endpoint
    ? workspaceScimBaseUrl(config, endpoint.workspaceId, endpoint.addressing)
    : workspaceScimBaseUrl(config, config.DEFAULT_WORKSPACE, 'plain');
}
