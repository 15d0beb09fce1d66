import type { HttpConfig } from './config.fields';

/**
 * How a request named its workspace: `host` (`<slug>.<SCIM_BASE_DOMAIN>`), `path`
 * (`/workspaces/<slug>/scim/v2`) or `plain` (`/scim/v2`, the default workspace).
 */
export type WorkspaceAddressing = 'plain' | 'host' | 'path';

/**
 * The SCIM base URL of a workspace in the given addressing form — what an admin pastes into the
 * IdP and the base of `meta.location`. Without a form, the one an admin should be shown: the
 * host form when SCIM_BASE_DOMAIN is set, plain `/scim/v2` for the default workspace, else the
 * path form.
 */
export function workspaceScimBaseUrl(
  config: Pick<HttpConfig, 'publicUrl' | 'SCIM_BASE_DOMAIN' | 'DEFAULT_WORKSPACE'>,
  workspaceId: string,
  addressing: WorkspaceAddressing = preferredAddressing(config, workspaceId),
): string {
  const publicUrl = config.publicUrl();
  switch (addressing) {
    case 'plain':
      return `${publicUrl}/scim/v2`;
    case 'path':
      return `${publicUrl}/workspaces/${workspaceId}/scim/v2`;
    case 'host': {
      if (!config.SCIM_BASE_DOMAIN) return `${publicUrl}/workspaces/${workspaceId}/scim/v2`;
      const url = new URL(publicUrl);
      url.hostname = `${workspaceId}.${config.SCIM_BASE_DOMAIN}`;
      return `${url.toString().replace(/\/$/, '')}/scim/v2`;
    }
    default: {
      const unknown: never = addressing;
      throw new Error(`Unknown addressing ${String(unknown)}`);
    }
  }
}

function preferredAddressing(config: Pick<HttpConfig, 'SCIM_BASE_DOMAIN' | 'DEFAULT_WORKSPACE'>, workspaceId: string): WorkspaceAddressing {
  if (config.SCIM_BASE_DOMAIN) return 'host';
  return workspaceId === config.DEFAULT_WORKSPACE ? 'plain' : 'path';
}
