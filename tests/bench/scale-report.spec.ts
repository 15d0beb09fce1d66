import { flatten, formatTable, parseSizes, type SizeFigures, targetSummary } from '../../bench/scale/scale-report';

function figuresOf(overrides: Partial<SizeFigures>): SizeFigures {
  return {
    members: 10_000,
    growUsersPerSec: 900,
    postPerSec: 500,
    postP99Ms: 40,
    userNameEqP99Ms: 10,
    coFilterP99Ms: 30,
    coFilterErrors: 0,
    patchP99Ms: 50,
    bigGroupGetP99Ms: 800,
    bigGroupMembers: 10_000,
    replaySeconds: 4,
    replayEvents: 17_000,
    gatewayRssMb: 300,
    projectorRssMb: 150,
    notifierRssMb: 150,
    eventStoreBytesPerMember: 4000,
    readModelBytesPerMember: 9000,
    ...overrides,
  };
}

describe('bench:scale report', () => {
  it('reads the sizes, with or without separators, and refuses sizes that do not grow or are not counts', () => {
    expect(parseSizes('10000,100000,1_000_000')).toEqual([10_000, 100_000, 1_000_000]);
    expect(parseSizes(' 2000 , 5000')).toEqual([2000, 5000]);
    expect(() => parseSizes('5000,2000')).toThrow(/grow/);
    expect(() => parseSizes('5000,5000')).toThrow(/grow/);
    expect(() => parseSizes('10k')).toThrow(/positive integers/);
    expect(() => parseSizes('0')).toThrow(/positive integers/);
    expect(() => parseSizes('')).toThrow(/positive integers/);
  });

  it('keys every figure of every size scale.<size>.<figure>', () => {
    const flat = flatten(new Map([[10_000, figuresOf({})], [100_000, figuresOf({ userNameEqP99Ms: 14 })]]));
    expect(flat['scale.10000.userNameEqP99Ms']).toBe(10);
    expect(flat['scale.100000.userNameEqP99Ms']).toBe(14);
    expect(Object.keys(flat)).toHaveLength(2 * Object.keys(figuresOf({})).length);
  });

  it('puts one figure per row and one size per column', () => {
    const lines = formatTable(new Map([[10_000, figuresOf({})], [100_000, figuresOf({ patchP99Ms: 61 })]])).split('\n');
    expect(lines[0]).toMatch(/10000\s+100000$/);
    expect(lines.find((line) => line.startsWith('PATCH p99 ms'))).toMatch(/\s50\s+61$/);
    expect(lines).toHaveLength(1 + Object.keys(figuresOf({})).length);
  });

  it('judges the targets at the largest size against the smallest', () => {
    const met = targetSummary(new Map([[10_000, figuresOf({ postPerSec: 500 })], [1_000_000, figuresOf({ postPerSec: 400, userNameEqP99Ms: 20 })]]));
    expect(met).toContain('targets at 1000000 members');
    expect(met).not.toContain('MISSED');
    const missed = targetSummary(new Map([[10_000, figuresOf({ postPerSec: 500 })], [1_000_000, figuresOf({ postPerSec: 399, userNameEqP99Ms: 21, notifierRssMb: 401 })]]));
    expect(missed).toContain('userName eq p99 21 ms (≤ 20: MISSED)');
    expect(missed).toContain('POST/s 399 = 0.80 × 500 at 10000 (≥ 0.8: MISSED)');
    expect(missed).toContain('max RSS 401 MB (≤ 400: MISSED)');
  });
});
