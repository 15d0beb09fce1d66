import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../support/processes';

describe('start-up configuration errors', () => {
  it.each(['scim-gateway', 'projector', 'notifier', 'all-in-one'])(
    '%s with a bad value exits non-zero with one line naming the variable',
    (app) => {
      const env = app === 'scim-gateway' || app === 'all-in-one' ? { PORT: 'abc' } : { EVENT_STORE_URL: 'mysql://nope' };
      const result = spawnSync(process.execPath, [resolve(REPO_ROOT, `apps/${app}/dist/main.js`)], {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'] ?? '', ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).not.toBe(0);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(Object.keys(env)[0]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
