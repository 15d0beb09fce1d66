import type { DataSource } from 'typeorm';
import { insertRows } from '../../bulk-sql';
import { MemberRecord } from '../../entities';
import { aMemberRow } from '../../testing/member-rows';
import {
  findScimRequest,
  insertScimRequestLog,
  InvalidScimRequestCursorError,
  pruneScimRequestLog,
  type ScimRequestLogEntry,
  scimRequestStats,
  searchScimRequests,
} from '../scim-request-log.query';

const NOW = new Date(Date.UTC(2026, 0, 2, 0, 0, 0));

function entry(i: number, overrides: Partial<ScimRequestLogEntry> = {}): ScimRequestLogEntry {
  const statuses = [201, 200, 409, 400, 401];
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    workspaceId: 'ws1',
    requestId: `req-${i}`,
    // Pairs share a timestamp so the id breaks ties; the first ten are two days old.
    at: new Date(NOW.getTime() - (i < 10 ? 48 * 3600_000 : 0) - (30 - i) * 1000 + Math.floor(i / 2)).toISOString(),
    method: i % 5 === 0 ? 'POST' : 'GET',
    path: i % 5 === 0 ? '/scim/v2/Users' : `/scim/v2/Users/user-${i % 3}`,
    query: null,
    status: statuses[i % 5]!,
    errorCode: statuses[i % 5]! >= 400 ? `SCIM_ERR_${i % 5}` : null,
    dialect: i % 2 === 0 ? 'entra' : 'okta',
    latencyMs: i,
    operation: i % 5 === 0 ? 'users.create' : 'users.get',
    resourceId: i % 5 === 0 ? null : `user-${i % 3}`,
    userNameLc: i % 5 === 0 ? `new${i}@example.com` : null,
    tokenPrefix: 'scim_ab12',
    requestBody: i === 20 ? JSON.stringify({ userName: 'New20@example.com', password: '[REDACTED]' }) : null,
    responseBody: i === 21 ? '{"id":"cut' : null,
    truncated: i === 21,
    ...overrides,
  };
}

/** The same expectations on every read-model database. */
export function scimRequestLogContract(open: () => Promise<{ dataSource: DataSource; close: () => Promise<void> }>): void {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  const rows = [...Array(25).keys()].map((i) => entry(i));

  beforeAll(async () => {
    ({ dataSource, close } = await open());
    await insertScimRequestLog(dataSource, rows);
    await insertScimRequestLog(dataSource, [entry(99, { workspaceId: 'ws2', at: NOW.toISOString() })]);
    await insertRows(dataSource, MemberRecord, [Object.assign(aMemberRow('user-1', 'Pilot@Example.com'), { workspaceId: 'ws1' })]);
  });

  afterAll(async () => close?.());

  it('pages newest first with a stable cursor, no overlap, one workspace only', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await searchScimRequests(dataSource, { workspaceId: 'ws1', limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...result.items.map((item) => item.requestId));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual([...Array(25).keys()].reverse().map((i) => `req-${i}`));
  });

  it('filters by status class or code, operation, time and request id', async () => {
    const statuses = async (statuses: string[]) => (await searchScimRequests(dataSource, { workspaceId: 'ws1', statuses, limit: 200 })).items.map((item) => item.status);
    expect(new Set(await statuses(['4xx']))).toEqual(new Set([409, 400, 401]));
    expect(new Set(await statuses(['401']))).toEqual(new Set([401]));
    expect(new Set(await statuses(['2xx', '401']))).toEqual(new Set([201, 200, 401]));
    const creates = await searchScimRequests(dataSource, { workspaceId: 'ws1', operation: 'users.create' });
    expect(creates.items.map((item) => item.requestId)).toEqual(['req-20', 'req-15', 'req-10', 'req-5', 'req-0']);
    const recent = await searchScimRequests(dataSource, { workspaceId: 'ws1', from: rows[10]!.at, to: rows[12]!.at });
    expect(recent.items.map((item) => item.requestId)).toEqual(['req-11', 'req-10']);
    const one = await searchScimRequests(dataSource, { workspaceId: 'ws1', requestId: 'req-7' });
    expect(one.items).toEqual([
      {
        requestId: 'req-7',
        at: rows[7]!.at,
        method: 'GET',
        path: '/scim/v2/Users/user-1',
        status: 409,
        errorCode: 'SCIM_ERR_2',
        dialect: 'okta',
        latencyMs: 7,
        operation: 'users.get',
        resourceId: 'user-1',
        tokenPrefix: 'scim_ab12',
      },
    ]);
  });

  it('finds a user by resource id, by the userName a request carried, or by the userName of the member it concerned', async () => {
    const ids = async (user: string) => (await searchScimRequests(dataSource, { workspaceId: 'ws1', user, limit: 200 })).items.map((item) => item.requestId);
    const aboutUser1 = rows.filter((row) => row.resourceId === 'user-1').map((row) => row.requestId).reverse();
    expect(await ids('user-1')).toEqual(aboutUser1);
    expect(await ids('NEW15@example.com')).toEqual(['req-15']);
    expect(await ids('pilot@EXAMPLE.com')).toEqual(aboutUser1);
  });

  it('refuses a forged cursor', async () => {
    await expect(searchScimRequests(dataSource, { workspaceId: 'ws1', cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidScimRequestCursorError);
  });

  it('returns the detail with parsed bodies, a cut body as text, and null for another workspace', async () => {
    const detail = await findScimRequest(dataSource, 'ws1', 'req-20');
    expect(detail).toMatchObject({ requestId: 'req-20', query: null, requestBody: { userName: 'New20@example.com', password: '[REDACTED]' }, responseBody: null, truncated: false });
    expect(await findScimRequest(dataSource, 'ws1', 'req-21')).toMatchObject({ responseBody: '{"id":"cut', truncated: true });
    expect(await findScimRequest(dataSource, 'ws2', 'req-20')).toBeNull();
    expect(await findScimRequest(dataSource, 'ws1', 'req-99')).toBeNull();
  });

  it('counts the last 24 h and names the last request and its dialect', async () => {
    const stats = await scimRequestStats(dataSource, 'ws1', NOW);
    const recent = rows.slice(10);
    expect(stats).toEqual({
      requestsLast24h: recent.length,
      rejectionsLast24h: recent.filter((row) => row.status >= 400).length,
      lastRequestAt: rows[24]!.at,
      lastDialect: 'entra',
    });
    expect(await scimRequestStats(dataSource, 'nobody', NOW)).toEqual({ requestsLast24h: 0, rejectionsLast24h: 0, lastRequestAt: null, lastDialect: null });
  });

  it('prunes rows older than the cut-off in batches, oldest first', async () => {
    const cutoff = new Date(NOW.getTime() - 24 * 3600_000).toISOString();
    expect(await pruneScimRequestLog(dataSource, cutoff, 4)).toBe(4);
    expect(await findScimRequest(dataSource, 'ws1', 'req-3')).toBeNull();
    expect(await findScimRequest(dataSource, 'ws1', 'req-4')).not.toBeNull();
    expect(await pruneScimRequestLog(dataSource, cutoff, 4)).toBe(4);
    expect(await pruneScimRequestLog(dataSource, cutoff, 4)).toBe(2);
    expect(await pruneScimRequestLog(dataSource, cutoff, 4)).toBe(0);
    const left = await searchScimRequests(dataSource, { workspaceId: 'ws1', limit: 200 });
    expect(left.items).toHaveLength(15);
  });
}

