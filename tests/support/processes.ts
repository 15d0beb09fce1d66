import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The repository root, found from here whether this file runs from source or compiled into a bench. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(resolve(dir, 'nx.json'))) return dir;
  throw new Error(`No nx.json above ${from}`);
}

export interface RunningApp {
  name: string;
  process: ChildProcess;
  output: () => string;
}

/** Starts a built app (`apps/<name>/dist/main.js`) as its own Node process. */
export function startApp(name: string, env: Record<string, string>): RunningApp {
  return startScript(name, `apps/${name}/dist/main.js`, env);
}

/** Runs a Node script of the repository (path from its root) as its own process, output collected. */
export function startScript(name: string, scriptPath: string, env: Record<string, string>): RunningApp {
  const child = spawn(process.execPath, [resolve(REPO_ROOT, scriptPath)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { name, process: child, output: () => output };
}

export function hasExited(app: RunningApp): boolean {
  return app.process.exitCode !== null || app.process.signalCode !== null;
}

/** SIGTERM, then SIGKILL if the process has not exited in time. */
export async function stopApp(app: RunningApp, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (hasExited(app)) return;
  const exited = new Promise<void>((done) => app.process.once('exit', () => done()));
  app.process.kill(signal);
  const timer = setTimeout(() => app.process.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}
