import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const LIBRARY_ROOT = resolve(__dirname, '..', '..');
export const REPOSITORY_ROOT = resolve(LIBRARY_ROOT, '..', '..');
export const CHILD_SCRIPT = join(__dirname, 'append-until-killed.child.js');
export const BUILT_ENTRY = join(LIBRARY_ROOT, 'dist', 'index.js');

/**
 * Child processes run plain node, so they load the compiled library: build it (tsc -b is incremental)
 * once per machine at a time; parallel jest workers wait on a lock directory.
 */
export async function ensureBuiltLibrary(): Promise<string> {
  const lock = join(LIBRARY_ROOT, 'dist.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock, { recursive: false });
      break;
    } catch {
      const age = Date.now() - statSafe(lock);
      if (age > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(LIBRARY_ROOT, 'tsconfig.json')], {
      cwd: REPOSITORY_ROOT,
      stdio: 'pipe',
    });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`building libs/event-store failed:\n${output}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return BUILT_ENTRY;
}

function statSafe(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}
