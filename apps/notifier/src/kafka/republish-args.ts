import { parseArgs } from 'node:util';
import { parseRangeBound, type RangeBound } from './republish-range';

export interface RepublishArgs {
  from: RangeBound;
  to?: RangeBound;
  raw: { from: string; to: string | null };
  topic: string;
  ratePerSecond: number;
}

export const REPUBLISH_USAGE = 'usage: republish --from <time|position> [--to <time|position>] --topic <name> [--rate <events/s>]';

/**
 * The arguments of `republish.js` (what `axis kafka republish` passes). Strict: an unknown flag, a
 * flag without its value or a stray argument is an error, never silently ignored.
 */
export function parseRepublishArgs(argv: readonly string[]): RepublishArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: { from: { type: 'string' }, to: { type: 'string' }, topic: { type: 'string' }, rate: { type: 'string' } },
  });
  const { from, to, topic } = values;
  if (!from || !topic) throw new Error(REPUBLISH_USAGE);
  const rate = Number(values.rate ?? 500);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error('--rate must be a positive number of events per second');
  return { from: parseRangeBound(from), ...(to ? { to: parseRangeBound(to) } : {}), raw: { from, to: to ?? null }, topic, ratePerSecond: rate };
}
