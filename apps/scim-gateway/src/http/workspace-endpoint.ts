import type { IncomingMessage } from 'node:http';
import type { HttpConfig, WorkspaceAddressing } from '@axis/config';
import { WORKSPACE_SLUG_PATTERN } from '@axis/domain';

/** Which workspace a SCIM request addressed, and how it named it (so answers can use the same form). */
export interface WorkspaceEndpoint {
  workspaceId: string;
  addressing: WorkspaceAddressing;
}

const PATH_WORKSPACE = Symbol('axis.pathWorkspace');
type RawRequest = IncomingMessage & { [PATH_WORKSPACE]?: string };

const WORKSPACE_PATH = /^\/workspaces\/([^/?#]+)(\/scim\/v2(?:[/?#].*)?)$/;

/**
 * Fastify `rewriteUrl`: `/workspaces/<slug>/scim/v2/…` becomes `/scim/v2/…` before routing, so
 * every SCIM controller serves both forms; the slug stays on the raw request for the guard.
 */
export function rewriteWorkspacePath(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const match = WORKSPACE_PATH.exec(url);
  if (!match) return url;
  let slug: string;
  try {
    slug = decodeURIComponent(match[1]!);
  } catch {
    return url;
  }
  (request as RawRequest)[PATH_WORKSPACE] = slug;
  return match[2]!;
}

/**
 * The workspace a request addresses: the path form wins over plain `/scim/v2`; the host form
 * (`<slug>.<SCIM_BASE_DOMAIN>`) applies when configured; neither means DEFAULT_WORKSPACE. Null
 * when the request names something that cannot be a workspace, or names two different ones.
 */
export function resolveWorkspaceEndpoint(
  request: { raw: IncomingMessage; headers: IncomingMessage['headers'] },
  config: Pick<HttpConfig, 'DEFAULT_WORKSPACE' | 'SCIM_BASE_DOMAIN'>,
): WorkspaceEndpoint | null {
  const fromPath = (request.raw as RawRequest)[PATH_WORKSPACE];
  const fromHost = hostWorkspace(request.headers.host, config.SCIM_BASE_DOMAIN);
  if (fromHost === null) return null;
  if (fromPath !== undefined) {
    if (!WORKSPACE_SLUG_PATTERN.test(fromPath)) return null;
    if (fromHost !== undefined && fromHost !== fromPath) return null;
    return { workspaceId: fromPath, addressing: 'path' };
  }
  if (fromHost !== undefined) return { workspaceId: fromHost, addressing: 'host' };
  return { workspaceId: config.DEFAULT_WORKSPACE, addressing: 'plain' };
}

/** undefined: the host names no workspace; null: it names one that cannot exist. */
function hostWorkspace(hostHeader: string | undefined, baseDomain: string | undefined): string | null | undefined {
  if (!baseDomain || !hostHeader) return undefined;
  const host = hostHeader.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  const suffix = `.${baseDomain}`;
  if (!host.endsWith(suffix)) return undefined;
  const label = host.slice(0, -suffix.length);
  return WORKSPACE_SLUG_PATTERN.test(label) ? label : null;
}
