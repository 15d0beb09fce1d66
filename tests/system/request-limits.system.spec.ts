/**
 * Issue #23: every request has a bounded cost and every input beyond a limit gets a SCIM 4xx
 * naming it — on the embedded default (SQLite) and on PostgreSQL. Paging numbers no store takes,
 * PATCH operation counts, attribute lengths the indexes cannot hold, and element counts.
 */
import { type Deployment, type DeploymentKind, scimClient, startDeployment, USER_SCHEMA_URI } from '../support/deployments';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const SEARCH_URI = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const GROUP_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe.each(kinds)('request limits on %s', (kind) => {
  let deployment: Deployment;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    scim = scimClient(deployment);
    for (const name of ['page-a', 'page-b']) {
      expect((await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: `${name}@example.com` })).status).toBe(201);
    }
    expect((await scim.post('/Groups', { schemas: [GROUP_SCHEMA_URI], displayName: 'paging group' })).status).toBe(201);
  });
  afterAll(async () => {
    await deployment?.stop();
  });

  describe('paging numbers no store takes as OFFSET or LIMIT (finding 4)', () => {
    const huge = ['9223372036854775808', '18446744073709551616', '1e308', '-1e308', 'NaN', 'Infinity', '-9223372036854775809', '99999999999999999999999999'];

    it.each(['Users', 'Groups'])('GET /%s answers a page, never a 500', async (resource) => {
      for (const startIndex of huge) {
        for (const count of huge) {
          const response = await scim.get(`/${resource}?startIndex=${encodeURIComponent(startIndex)}&count=${encodeURIComponent(count)}`);
          expect({ startIndex, count, status: response.status }).toEqual({ startIndex, count, status: 200 });
          expect(Number.isSafeInteger(response.body!['startIndex'])).toBe(true);
          expect(response.body!['itemsPerPage']).toBeLessThanOrEqual(200);
        }
      }
      // A startIndex past every result is an empty page, with the real total.
      const beyond = await scim.get(`/${resource}?startIndex=9223372036854775808&count=10`);
      expect(beyond.body).toMatchObject({ Resources: [], itemsPerPage: 0, totalResults: resource === 'Users' ? 2 : 1 });
      // A negative count is 0: only the total.
      expect((await scim.get(`/${resource}?count=-9223372036854775809`)).body).toMatchObject({ itemsPerPage: 0, totalResults: resource === 'Users' ? 2 : 1 });
    });

    it.each(['Users', 'Groups'])('POST /%s/.search answers a page, never a 500', async (resource) => {
      const numbers = ['9223372036854775808', '1e308', '-1e308', '1.7976931348623157e308', '"NaN"', '"9223372036854775808"', '"-1e308"', '-0'];
      for (const startIndex of numbers) {
        for (const count of numbers) {
          const response = await scim.post(`/${resource}/.search`, `{"schemas":["${SEARCH_URI}"],"startIndex":${startIndex},"count":${count}}`);
          expect({ startIndex, count, status: response.status }).toEqual({ startIndex, count, status: 200 });
          expect(Number.isSafeInteger(response.body!['startIndex'])).toBe(true);
        }
      }
      const clamped = await scim.post(`/${resource}/.search`, `{"schemas":["${SEARCH_URI}"],"startIndex":1e308,"count":1e308}`);
      expect(clamped.body).toMatchObject({ Resources: [], itemsPerPage: 0 });
      const all = await scim.post(`/${resource}/.search`, `{"schemas":["${SEARCH_URI}"],"startIndex":-1e308,"count":1e308}`);
      expect(all.body!['itemsPerPage']).toBe(resource === 'Users' ? 2 : 1);
    });
  });
});
