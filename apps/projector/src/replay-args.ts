import { parseArgs } from 'node:util';

export interface ReplayArgs {
  name: string;
  graceSeconds: number;
}

export const REPLAY_USAGE = 'usage: replay <name> [--grace-seconds N] [--drop-old-now]';

/**
 * The arguments of `replay.js` (what `axis projections replay` passes). Strict: an unknown flag, a
 * flag without its value or a second name is an error, never silently ignored.
 */
export function parseReplayArgs(argv: readonly string[]): ReplayArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: { 'grace-seconds': { type: 'string' }, 'drop-old-now': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new Error(REPLAY_USAGE);
  const graceSeconds = values['drop-old-now'] ? 0 : values['grace-seconds'] === undefined ? 60 : Number(values['grace-seconds']);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) throw new Error('--grace-seconds must be a non-negative number');
  return { name: positionals[0]!, graceSeconds };
}
