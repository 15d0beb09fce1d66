/**
 * Issue #23 finding 9: the embedded default's DATA_DIR holds every member's personal data, the
 * webhook signing secrets, the SCIM token and the admin key. It is created 0700 with its files 0600
 * (SQLite databases with their -wal and -shm files, the secret files), and an existing one with
 * looser modes is tightened, saying so in the log.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp, stopApp, waitFor, type RunningApp } from '../support/processes';

const USER_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:User';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every entry under `dir` (recursively) with its mode, as octal text. */
function modesUnder(dir: string): Record<string, string> {
  const modes: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    modes[path.slice(dir.length + 1)] = modeOf(path);
  }
  return modes;
}

describe('the embedded default keeps its data private', () => {
  let parent: string;
  let app: RunningApp | undefined;
  let baseUrl: string;

  /** The all-in-one as `npm start` runs it: no SCIM_BEARER_TOKEN, so it writes its token file too. */
  async function start(dataDir: string): Promise<RunningApp> {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = startApp('all-in-one', { DATA_DIR: dataDir, PORT: String(port), SCIM_RATE_LIMIT_PER_SECOND: '0' });
    const started = app;
    await waitFor('the banner', async () => started.output().includes('SCIM endpoint URL'), 30_000);
    return started;
  }
  const previousUmask = process.umask(0o022);

  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'axis-perm-'));
  });
  afterEach(async () => {
    if (app) await stopApp(app);
    app = undefined;
    rmSync(parent, { recursive: true, force: true });
  });
  afterAll(() => process.umask(previousUmask));

  it('creates DATA_DIR 0700 and every file in it 0600, under a umask that would allow 0644', async () => {
    const dataDir = join(parent, 'data');
    await start(dataDir);
    const token = readFileSync(join(dataDir, 'scim-bearer-token'), 'utf8').trim();
    const created = await fetch(`${baseUrl}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER_SCHEMA_URI], userName: 'private@example.com' }),
    });
    expect(created.status).toBe(201);
    expect(modeOf(dataDir)).toBe('700');
    const modes = modesUnder(dataDir);
    expect(Object.keys(modes)).toEqual(
      expect.arrayContaining(['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm', 'read-model.sqlite', 'read-model.sqlite-wal', 'read-model.sqlite-shm', 'admin-key', 'scim-bearer-token']),
    );
    expect(Object.entries(modes).filter(([, mode]) => mode !== '600')).toEqual([]);
  });

  it('tightens a DATA_DIR that exists with looser modes, and logs that it did', async () => {
    const dataDir = join(parent, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'admin-key'), 'not a key\n', { mode: 0o644 });
    chmodSync(join(dataDir, 'admin-key'), 0o644);
    const started = await start(dataDir);
    expect(modeOf(dataDir)).toBe('700');
    expect(Object.entries(modesUnder(dataDir)).filter(([, mode]) => mode !== '600')).toEqual([]);
    expect(started.output()).toContain('DATA_DIR was readable by other users: made it 0700 and its files 0600');
  });
});
