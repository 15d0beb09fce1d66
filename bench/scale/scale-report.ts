/**
 * The pure part of `npm run bench:scale`: its sizes, its JSON keys, its table and its target line.
 */

/** What bench:scale measures at each size (see main.ts' header for how). */
export interface SizeFigures {
  /** Members of the workspace when the reads were measured (the size, plus the previous sizes' POST runs). */
  members: number;
  /** Users per second the /Bulk growth to this size created (from the previous size). */
  growUsersPerSec: number;
  postPerSec: number;
  postP99Ms: number;
  userNameEqP99Ms: number;
  coFilterP99Ms: number;
  /** Non-2xx answers of the `co` filter run (a refusal for cost would show here). */
  coFilterErrors: number;
  patchP99Ms: number;
  bigGroupGetP99Ms: number;
  bigGroupMembers: number;
  replaySeconds: number;
  replayEvents: number;
  gatewayRssMb: number;
  projectorRssMb: number;
  notifierRssMb: number;
  eventStoreBytesPerMember: number;
  readModelBytesPerMember: number;
}

export const FIGURE_LABELS: Array<[keyof SizeFigures, string]> = [
  ['members', 'members when measured'],
  ['growUsersPerSec', '/Bulk growth users/s'],
  ['postPerSec', 'POST /Users req/s'],
  ['postP99Ms', 'POST p99 ms'],
  ['userNameEqP99Ms', 'userName eq p99 ms'],
  ['coFilterP99Ms', 'userName co p99 ms'],
  ['coFilterErrors', 'userName co non-2xx'],
  ['patchP99Ms', 'PATCH p99 ms'],
  ['bigGroupGetP99Ms', 'GET /Groups/{id} p99 ms'],
  ['bigGroupMembers', '  members of that group'],
  ['replaySeconds', 'members replay s'],
  ['replayEvents', '  events replayed'],
  ['gatewayRssMb', 'gateway max RSS MB'],
  ['projectorRssMb', 'projector max RSS MB'],
  ['notifierRssMb', 'notifier max RSS MB'],
  ['eventStoreBytesPerMember', 'event store bytes/member'],
  ['readModelBytesPerMember', 'read model bytes/member'],
];

/** `BENCH_SCALE_SIZES` ("10000,100000,1000000"): positive integers, strictly increasing. */
export function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim().replace(/_/g, '')));
  if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
    throw new Error(`BENCH_SCALE_SIZES must be positive integers separated by commas, not "${text}"`);
  }
  if (sizes.some((size, index) => index > 0 && size <= sizes[index - 1]!)) throw new Error(`BENCH_SCALE_SIZES must grow: "${text}"`);
  return sizes;
}

/** The JSON line's keys: `scale.<size>.<figure>`. */
export function flatten(figures: ReadonlyMap<number, SizeFigures>): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const [size, sizeFigures] of figures) {
    for (const [figure] of FIGURE_LABELS) flat[`scale.${size}.${figure}`] = sizeFigures[figure];
  }
  return flat;
}

/** Rows = figures, columns = sizes: how each figure grows. */
export function formatTable(figures: ReadonlyMap<number, SizeFigures>): string {
  const sizes = [...figures.keys()];
  const width = Math.max(12, ...sizes.map((size) => String(size).length + 2));
  const lines = [['figure \\ members'.padEnd(28), ...sizes.map((size) => String(size).padStart(width))].join('')];
  for (const [figure, label] of FIGURE_LABELS) {
    lines.push([label.padEnd(28), ...sizes.map((size) => String(figures.get(size)![figure]).padStart(width))].join(''));
  }
  return lines.join('\n');
}

export const TARGETS = { userNameEqP99Ms: 20, postRatio: 0.8, rssMb: 400 };

/**
 * The three targets, judged at the largest size measured (the issue names 1,000,000) against
 * the smallest (10,000): met or MISSED, with the numbers.
 */
export function targetSummary(figures: ReadonlyMap<number, SizeFigures>): string {
  const sizes = [...figures.keys()];
  const smallest = figures.get(sizes[0]!)!;
  const largestSize = sizes[sizes.length - 1]!;
  const largest = figures.get(largestSize)!;
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const postRatio = largest.postPerSec / smallest.postPerSec;
  const maxRss = Math.max(...[...figures.values()].flatMap((f) => [f.gatewayRssMb, f.projectorRssMb, f.notifierRssMb]));
  return [
    `targets at ${largestSize} members:`,
    `userName eq p99 ${largest.userNameEqP99Ms} ms (≤ ${TARGETS.userNameEqP99Ms}: ${verdict(largest.userNameEqP99Ms <= TARGETS.userNameEqP99Ms)});`,
    `POST/s ${largest.postPerSec} = ${postRatio.toFixed(2)} × ${smallest.postPerSec} at ${sizes[0]} (≥ ${TARGETS.postRatio}: ${verdict(postRatio >= TARGETS.postRatio)});`,
    `max RSS ${maxRss} MB (≤ ${TARGETS.rssMb}: ${verdict(maxRss <= TARGETS.rssMb)})`,
  ].join(' ');
}
