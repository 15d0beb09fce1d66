import type { ExecutionContext } from '@nestjs/common';
import { HttpConfig, loadConfig } from '@axis/config';
import type { ScimRejection } from '@axis/domain';
import { createLogger, metrics } from '@axis/platform';
import { isScimError, type ScimError } from '@axis/scim';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../gateway.config';
import { WorkspaceRateLimiter } from '../rate-limit/workspace-rate-limiter';
import type { RejectionContext, RejectionRecorder } from '../rejections/rejection-recorder';
import { type AuthenticatedRequest, ScimBearerGuard } from './scim-bearer.guard';
import type { KnownScimToken, ScimTokenVerifier } from './scim-token-verifier';
import { rewriteWorkspacePath } from '../http/workspace-endpoint';

const CONFIG_TOKEN = 'c'.repeat(40);
const ACME_TOKEN = 'scim_' + 'A'.repeat(43);
const REVOKED_TOKEN = 'scim_' + 'R'.repeat(43);

const known: Record<string, KnownScimToken> = {
  [ACME_TOKEN]: { tokenId: 't-acme', workspaceId: 'acme', prefix: 'scim_AAAAAAAA', revoked: false },
  [REVOKED_TOKEN]: { tokenId: 't-old', workspaceId: 'acme', prefix: 'scim_RRRRRRRR', revoked: true },
};

/** The in-process limiter's deployment: the limiter only asks the read model which database it is. */
const EMBEDDED_READ_MODEL = { options: { type: 'better-sqlite3' } } as unknown as DataSource;

function setup(env: Record<string, string> = {}) {
  const config = loadConfig(HttpConfig, {
    SCIM_BEARER_TOKEN: CONFIG_TOKEN,
    SCIM_BASE_DOMAIN: 'scim.test',
    ...env,
  }) as GatewayConfig;
  const recorded: Array<{ rejection: ScimRejection; context: RejectionContext }> = [];
  const touched: string[] = [];
  const verifier = {
    lookup: async (token: string) => known[token] ?? null,
    touch: (tokenId: string) => void touched.push(tokenId),
  } as unknown as ScimTokenVerifier;
  const recorder = { record: (rejection: ScimRejection, context: RejectionContext) => void recorded.push({ rejection, context }) } as unknown as RejectionRecorder;
  const guard = new ScimBearerGuard(config, verifier, new WorkspaceRateLimiter(config, EMBEDDED_READ_MODEL, createLogger('test', 'silent')), recorder);
  return { guard, recorded, touched };
}

/** axis_scim_rate_limited_total for one workspace (the registry is shared by the whole test file). */
async function rateLimitedCount(workspace: string): Promise<number> {
  const { values } = await metrics.scimRateLimitedTotal.get();
  return values.find((value) => value.labels['workspace'] === workspace)?.value ?? 0;
}

function requestTo(url: string, authorization?: string, host = '127.0.0.1:8080'): AuthenticatedRequest {
  const raw = { url, headers: { host } } as never;
  const rewritten = rewriteWorkspacePath(raw);
  return {
    raw,
    headers: { host, ...(authorization ? { authorization } : {}) },
    method: 'GET',
    url: rewritten,
    originalUrl: url,
    id: 'req-1',
    ip: '192.0.2.1',
    body: undefined,
  } as unknown as AuthenticatedRequest;
}

function contextOf(request: AuthenticatedRequest): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

async function refusal(guard: ScimBearerGuard, request: AuthenticatedRequest): Promise<ScimError> {
  try {
    await guard.canActivate(contextOf(request));
  } catch (error) {
    if (isScimError(error)) return error;
    throw error;
  }
  throw new Error('the guard let the request through');
}

describe('ScimBearerGuard', () => {
  it('accepts the configured token for the default workspace, scheme in any case', async () => {
    const { guard } = setup();
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const request = requestTo('/scim/v2/Users', `${scheme} ${CONFIG_TOKEN}`);
      await expect(guard.canActivate(contextOf(request))).resolves.toBe(true);
      expect(request.scimPrincipal).toEqual({
        workspaceId: 'default',
        actor: 'token:config',
        tokenId: null,
        endpoint: { workspaceId: 'default', addressing: 'plain' },
      });
    }
  });

  it('refuses a request without a token with a SCIM 401, and records why', async () => {
    const { guard, recorded } = setup();
    const error = await refusal(guard, requestTo('/scim/v2/Users'));
    expect(error.status).toBe(401);
    expect(error.code).toBe('SCIM_UNAUTHORIZED');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.rejection).toMatchObject({
      type: 'SCIM_UNAUTHORIZED',
      data: { workspaceId: 'default', reason: 'missing-token', method: 'GET', path: '/scim/v2/Users', sourceIp: '192.0.2.1' },
    });
  });

  it.each([
    ['Basic dXNlcjpwYXNz', 'missing-token'],
    [`Bearer ${'scim_' + 'Z'.repeat(43)}`, 'unknown-token'],
    [`Bearer ${REVOKED_TOKEN}`, 'revoked-token'],
  ])('refuses %s (%s)', async (authorization, reason) => {
    const { guard, recorded } = setup();
    expect((await refusal(guard, requestTo('/workspaces/acme/scim/v2/Users', authorization))).status).toBe(401);
    expect(recorded.map((entry) => entry.rejection.data)).toEqual([expect.objectContaining({ workspaceId: 'acme', reason })]);
  });

  it("authenticates an issued token at its own workspace's endpoint, in path and host form", async () => {
    const { guard, touched } = setup();
    const byPath = requestTo('/workspaces/acme/scim/v2/Users', `Bearer ${ACME_TOKEN}`);
    await expect(guard.canActivate(contextOf(byPath))).resolves.toBe(true);
    expect(byPath.scimPrincipal).toEqual({
      workspaceId: 'acme',
      actor: 'token:scim_AAAAAAAA',
      tokenId: 't-acme',
      endpoint: { workspaceId: 'acme', addressing: 'path' },
    });
    const byHost = requestTo('/scim/v2/Users', `Bearer ${ACME_TOKEN}`, 'acme.scim.test:8080');
    await expect(guard.canActivate(contextOf(byHost))).resolves.toBe(true);
    expect(byHost.scimPrincipal?.endpoint).toEqual({ workspaceId: 'acme', addressing: 'host' });
    expect(touched).toEqual(['t-acme', 't-acme']);
  });

  it("refuses a workspace's token at another workspace's endpoint, whatever the form", async () => {
    const { guard, recorded } = setup();
    for (const request of [
      requestTo('/workspaces/beta/scim/v2/Users', `Bearer ${ACME_TOKEN}`),
      requestTo('/scim/v2/Users', `Bearer ${ACME_TOKEN}`, 'beta.scim.test'),
      requestTo('/scim/v2/Users', `Bearer ${ACME_TOKEN}`),
    ]) {
      expect((await refusal(guard, request)).status).toBe(401);
    }
    const reasons = recorded.map((entry) => [entry.rejection.data.workspaceId, entry.rejection.data.tokenPrefix]);
    // The owner sees its token's prefix; the addressed workspace does not.
    expect(reasons).toEqual([
      ['acme', 'scim_AAAAAAAA'],
      ['beta', null],
      ['acme', 'scim_AAAAAAAA'],
      ['beta', null],
      ['acme', 'scim_AAAAAAAA'],
      ['default', null],
    ]);
  });

  it('never accepts the configured token for another workspace', async () => {
    const { guard } = setup();
    expect((await refusal(guard, requestTo('/workspaces/acme/scim/v2/Users', `Bearer ${CONFIG_TOKEN}`))).status).toBe(401);
  });

  it('refuses a request naming two different workspaces without recording it', async () => {
    const { guard, recorded } = setup();
    expect((await refusal(guard, requestTo('/workspaces/acme/scim/v2/Users', `Bearer ${ACME_TOKEN}`, 'beta.scim.test'))).status).toBe(401);
    expect(recorded).toEqual([]);
  });

  it('answers 429 with Retry-After over the workspace quota, and records it', async () => {
    const { guard, recorded } = setup({ SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: '2' });
    const request = () => requestTo('/workspaces/acme/scim/v2/Users', `Bearer ${ACME_TOKEN}`);
    const limitedBefore = await rateLimitedCount('acme');
    await expect(guard.canActivate(contextOf(request()))).resolves.toBe(true);
    await expect(guard.canActivate(contextOf(request()))).resolves.toBe(true);
    expect(await rateLimitedCount('acme')).toBe(limitedBefore);
    const error = await refusal(guard, request());
    // Counted against the workspace that hit its quota (deploy/prometheus/alerts.yml alerts on it).
    expect(await rateLimitedCount('acme')).toBe(limitedBefore + 1);
    expect(error.status).toBe(429);
    expect(error.code).toBe('SCIM_RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(1);
    expect(recorded.map((entry) => entry.rejection)).toEqual([
      expect.objectContaining({
        type: 'SCIM_RATE_LIMITED',
        data: expect.objectContaining({ workspaceId: 'acme', tokenPrefix: 'scim_AAAAAAAA', limitPerSecond: 1, burst: 2 }),
      }),
    ]);
    // Another workspace has its own quota.
    await expect(guard.canActivate(contextOf(requestTo('/scim/v2/Users', `Bearer ${CONFIG_TOKEN}`)))).resolves.toBe(true);
  });

  it('does not limit when the rate is 0', async () => {
    const { guard } = setup({ SCIM_RATE_LIMIT_PER_SECOND: '0', SCIM_RATE_LIMIT_BURST: '1' });
    for (let i = 0; i < 50; i++) {
      await expect(guard.canActivate(contextOf(requestTo('/scim/v2/Users', `Bearer ${CONFIG_TOKEN}`)))).resolves.toBe(true);
    }
  });
});
