import { ForbiddenException, type ExecutionContext, HttpException, UnauthorizedException } from '@nestjs/common';
import { HttpConfig, loadConfig } from '@axis/config';
import { secretDigest } from '@axis/credentials';
import type { AdminKeyRecord, ConsoleSessionRecord } from '@axis/read-model';
import * as readModel from '@axis/read-model';
import type { Logger } from '@axis/platform';
import type { DataSource } from 'typeorm';
import { CONSOLE_COOKIE } from '../../console/console-cookie';
import { ConsoleSessions } from '../../console/console-sessions';
import type { AdminKeyUsage } from '../../console/admin-key-usage';
import { type AdminRequest, AdminKeyGuard } from './admin-key.guard';

jest.mock('@axis/read-model', () => ({
  findAdminKeyByDigest: jest.fn(),
  findConsoleSessionByDigest: jest.fn(),
  insertConsoleSession: jest.fn(),
  revokeConsoleSession: jest.fn(),
  touchConsoleSession: jest.fn(),
}));
const mocked = readModel as jest.Mocked<typeof readModel>;

const ACME_KEY = 'adm_' + 'A'.repeat(43);
const SECRET = 'con_' + 'S'.repeat(43);
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;

const acmeKey: AdminKeyRecord = {
  id: 'k-acme',
  workspaceId: 'acme',
  prefix: 'adm_AAAAAAAA',
  keySha256: secretDigest(ACME_KEY),
  description: 'Alice Martin',
  createdAt: new Date(T0).toISOString(),
  createdBy: 'operator',
  revokedAt: null,
};

function session(overrides: Partial<ConsoleSessionRecord> = {}): ConsoleSessionRecord {
  return {
    id: 's1',
    workspaceId: 'acme',
    adminKeyId: 'k-acme',
    secretSha256: secretDigest(SECRET),
    csrfToken: 'csrf-token-1',
    createdAt: new Date(T0).toISOString(),
    lastSeenAt: new Date(T0).toISOString(),
    expiresAt: new Date(T0 + 12 * 60 * MINUTE).toISOString(),
    revokedAt: null,
    ...overrides,
  };
}

function setup(env: Record<string, string> = {}) {
  const config = loadConfig(HttpConfig, { PUBLIC_URL: 'https://console.example.com', ...env });
  const logger = { warn: jest.fn() } as unknown as Logger;
  const touched: string[] = [];
  const usage = { touch: (keyId: string) => void touched.push(keyId) } as unknown as AdminKeyUsage;
  const db = {} as DataSource;
  const guard = new AdminKeyGuard(db, config, new ConsoleSessions(db, config, logger), usage);
  return { guard, touched };
}

function request(options: { slug?: string; method?: string; headers?: Record<string, string>; cookie?: string | null }): AdminRequest {
  return {
    params: { slug: options.slug ?? 'acme' },
    method: options.method ?? 'GET',
    protocol: 'http',
    headers: { host: '127.0.0.1:8080', ...options.headers },
    cookies: options.cookie === null ? {} : { [CONSOLE_COOKIE]: options.cookie ?? SECRET },
  } as unknown as AdminRequest;
}

const contextOf = (req: AdminRequest) => ({ switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

async function outcome(guard: AdminKeyGuard, req: AdminRequest): Promise<number | string> {
  try {
    await guard.canActivate(contextOf(req));
    return 'allowed';
  } catch (error) {
    if (error instanceof HttpException) return `${error.getStatus()} ${(error.getResponse() as { error: string }).error}`;
    throw error;
  }
}

describe('AdminKeyGuard', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 + 5 * MINUTE });
    jest.resetAllMocks();
    mocked.findAdminKeyByDigest.mockImplementation(async (_db, sha256) => (sha256 === acmeKey.keySha256 ? acmeKey : null));
    mocked.findConsoleSessionByDigest.mockImplementation(async (_db, sha256) => (sha256 === secretDigest(SECRET) ? { session: session(), key: acmeKey } : null));
    mocked.revokeConsoleSession.mockResolvedValue(undefined);
    mocked.touchConsoleSession.mockResolvedValue(undefined);
  });
  afterEach(() => jest.useRealTimers());

  describe('with a bearer admin key', () => {
    it('admits a live key of the workspace, naming the admin by the key description', async () => {
      const { guard, touched } = setup();
      const req = request({ headers: { authorization: `Bearer ${ACME_KEY}` }, cookie: null });
      expect(await outcome(guard, req)).toBe('allowed');
      expect(req.adminPrincipal).toEqual({ workspaceId: 'acme', keyId: 'k-acme', actor: 'admin:adm_AAAAAAAA', name: 'Alice Martin' });
      expect(touched).toEqual(['k-acme']);
    });

    it('names the admin by the prefix when the key has no description', async () => {
      mocked.findAdminKeyByDigest.mockResolvedValue({ ...acmeKey, description: null });
      const { guard } = setup();
      const req = request({ headers: { authorization: `Bearer ${ACME_KEY}` }, cookie: null });
      await guard.canActivate(contextOf(req));
      expect(req.adminPrincipal?.name).toBe('adm_AAAAAAAA');
    });

    it('needs no CSRF token (not a browser credential)', async () => {
      const { guard } = setup();
      expect(await outcome(guard, request({ method: 'POST', headers: { authorization: `Bearer ${ACME_KEY}` }, cookie: null }))).toBe('allowed');
    });

    it('refuses an unknown key, a key of another workspace, and ignores the cookie when a bearer is sent', async () => {
      const { guard } = setup();
      expect(await outcome(guard, request({ headers: { authorization: `Bearer adm_${'X'.repeat(43)}` } }))).toBe('401 unauthorized');
      expect(await outcome(guard, request({ slug: 'beta', headers: { authorization: `Bearer ${ACME_KEY}` }, cookie: null }))).toBe('401 unauthorized');
      expect(await outcome(guard, request({ cookie: null }))).toBe('401 unauthorized');
    });
  });

  describe('with the console cookie', () => {
    it('admits a GET of the session workspace', async () => {
      const { guard, touched } = setup();
      const req = request({});
      expect(await outcome(guard, req)).toBe('allowed');
      expect(req.adminPrincipal).toEqual({ workspaceId: 'acme', keyId: 'k-acme', actor: 'admin:adm_AAAAAAAA', name: 'Alice Martin' });
      expect(touched).toEqual(['k-acme']);
    });

    it('gives a session of workspace A nothing from workspace B: 401, before any CSRF check', async () => {
      const { guard } = setup();
      expect(await outcome(guard, request({ slug: 'beta' }))).toBe('401 unauthorized');
      expect(await outcome(guard, request({ slug: 'beta', method: 'POST', headers: { 'x-csrf-token': 'csrf-token-1' } }))).toBe('401 unauthorized');
    });

    it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses %s without the session CSRF token (403 csrf)', async (method) => {
      const { guard } = setup();
      expect(await outcome(guard, request({ method }))).toBe('403 csrf');
      expect(await outcome(guard, request({ method, headers: { 'x-csrf-token': 'another' } }))).toBe('403 csrf');
      expect(await outcome(guard, request({ method, headers: { 'x-csrf-token': 'csrf-token-1' } }))).toBe('allowed');
    });

    it('checks the Origin of a state-changing request against the request host and PUBLIC_URL', async () => {
      const { guard } = setup();
      const post = (origin: string) => request({ method: 'POST', headers: { 'x-csrf-token': 'csrf-token-1', origin } });
      expect(await outcome(guard, post('http://127.0.0.1:8080'))).toBe('allowed');
      expect(await outcome(guard, post('https://console.example.com'))).toBe('allowed');
      expect(await outcome(guard, post('https://evil.example'))).toBe('403 csrf');
      expect(await outcome(guard, post('http://console.example.com'))).toBe('403 csrf');
      // A safe method is not checked: reading is what SameSite=Strict already protects.
      expect(await outcome(guard, request({ headers: { origin: 'https://evil.example' } }))).toBe('allowed');
    });

    it('ends a session whose admin key was revoked, on the next request', async () => {
      mocked.findConsoleSessionByDigest.mockResolvedValue({ session: session(), key: { ...acmeKey, revokedAt: new Date(T0).toISOString() } });
      const { guard } = setup();
      expect(await outcome(guard, request({}))).toBe('401 unauthorized');
      expect(mocked.revokeConsoleSession).toHaveBeenCalledWith(expect.anything(), 's1', expect.any(String));
    });

    it('ends a session idle for CONSOLE_SESSION_IDLE_MINUTES, counting from its last recorded use', async () => {
      const idle = { CONSOLE_SESSION_IDLE_MINUTES: '30' };
      jest.setSystemTime(T0 + 29 * MINUTE);
      expect(await outcome(setup(idle).guard, request({}))).toBe('allowed');
      // Used at T0+29 (recorded by any gateway process): still live at T0+58.
      mocked.findConsoleSessionByDigest.mockResolvedValue({ session: session({ lastSeenAt: new Date(T0 + 29 * MINUTE).toISOString() }), key: acmeKey });
      jest.setSystemTime(T0 + 58 * MINUTE);
      expect(await outcome(setup(idle).guard, request({}))).toBe('allowed');
      expect(mocked.revokeConsoleSession).not.toHaveBeenCalled();
      // Unused since T0: over at T0+30.
      mocked.findConsoleSessionByDigest.mockResolvedValue({ session: session(), key: acmeKey });
      jest.setSystemTime(T0 + 30 * MINUTE);
      expect(await outcome(setup(idle).guard, request({}))).toBe('401 unauthorized');
      expect(mocked.revokeConsoleSession).toHaveBeenCalledWith(expect.anything(), 's1', expect.any(String));
    });

    it('ends a session at its absolute expiry however active', async () => {
      const { guard } = setup();
      const expiresAt = T0 + 12 * 60 * MINUTE;
      mocked.findConsoleSessionByDigest.mockResolvedValue({ session: session({ lastSeenAt: new Date(expiresAt - MINUTE).toISOString() }), key: acmeKey });
      jest.setSystemTime(expiresAt - 1);
      expect(await outcome(guard, request({}))).toBe('allowed');
      jest.setSystemTime(expiresAt);
      expect(await outcome(guard, request({}))).toBe('401 unauthorized');
    });

    it('records use of the session at most once a minute', async () => {
      const { guard } = setup();
      await guard.canActivate(contextOf(request({})));
      await guard.canActivate(contextOf(request({})));
      expect(mocked.touchConsoleSession).toHaveBeenCalledTimes(1);
      jest.setSystemTime(T0 + 7 * MINUTE);
      await guard.canActivate(contextOf(request({})));
      expect(mocked.touchConsoleSession).toHaveBeenCalledTimes(2);
    });

    it('ignores a cookie that is not a console secret', async () => {
      const { guard } = setup();
      expect(await outcome(guard, request({ cookie: ACME_KEY }))).toBe('401 unauthorized');
      expect(mocked.findConsoleSessionByDigest).not.toHaveBeenCalled();
    });
  });

  it('throws Nest exceptions the json-api filter renders as {error, message}', async () => {
    const { guard } = setup();
    await expect(guard.canActivate(contextOf(request({ cookie: null })))).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(guard.canActivate(contextOf(request({ method: 'DELETE' })))).rejects.toBeInstanceOf(ForbiddenException);
  });
});
