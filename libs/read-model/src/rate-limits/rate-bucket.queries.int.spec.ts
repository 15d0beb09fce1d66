import { openTestReadModel, type TestReadModel } from '../testing/test-read-model';
import { takeRateTokens } from './rate-bucket.queries';

describe('the shared SCIM rate buckets on PostgreSQL', () => {
  let readModel: TestReadModel;

  beforeAll(async () => {
    readModel = await openTestReadModel('postgres', 'rm_rate');
  });
  afterAll(() => readModel?.close());

  it('starts full at the burst and grants no more than it holds', async () => {
    const limits = { ratePerSecond: 0.001, burst: 10 };
    expect(await takeRateTokens(readModel.dataSource, 'acme', 4, limits)).toEqual({ granted: 4, tokensLeft: 6 });
    const second = await takeRateTokens(readModel.dataSource, 'acme', 8, limits);
    expect(second.granted).toBe(6);
    expect(second.tokensLeft).toBeLessThan(1);
    expect((await takeRateTokens(readModel.dataSource, 'acme', 1, limits)).granted).toBe(0);
  });

  it('keeps one bucket per workspace', async () => {
    const limits = { ratePerSecond: 0.001, burst: 3 };
    expect((await takeRateTokens(readModel.dataSource, 'one', 3, limits)).granted).toBe(3);
    expect((await takeRateTokens(readModel.dataSource, 'two', 3, limits)).granted).toBe(3);
  });

  it('refills at the rate in the database clock, up to the burst', async () => {
    const limits = { ratePerSecond: 1000, burst: 5 };
    expect((await takeRateTokens(readModel.dataSource, 'refill', 5, limits)).granted).toBe(5);
    await readModel.dataSource.query(`UPDATE scim_rate_buckets SET refilled_at = refilled_at - interval '1 hour' WHERE workspace_id = 'refill'`);
    expect(await takeRateTokens(readModel.dataSource, 'refill', 100, limits)).toEqual({ granted: 5, tokensLeft: 0 });
  });

  it('never grants more than the bucket holds to concurrent takers', async () => {
    const limits = { ratePerSecond: 0.001, burst: 50 };
    const grants = await Promise.all(Array.from({ length: 40 }, () => takeRateTokens(readModel.dataSource, 'race', 3, limits)));
    expect(grants.reduce((sum, grant) => sum + grant.granted, 0)).toBe(50);
  });
});
