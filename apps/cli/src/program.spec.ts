import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpConfig, loadConfig } from '@axis/config';
import { secretDigest } from '@axis/credentials';
import { createEventStore, type EventStore } from '@axis/event-store';
import { AdminKeyRecord, openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { CliConfig } from './cli.config';
import { CliError } from './output';
import { buildProgram } from './program';

describe('axis CLI', () => {
  let eventStore: EventStore;
  let readModel: DataSource;
  let out: string[];
  let err: string[];

  beforeEach(async () => {
    eventStore = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    out = [];
    err = [];
  });
  afterEach(async () => {
    await eventStore.close();
    await readModel.destroy();
  });

  async function axis(...args: string[]): Promise<void> {
    const config = loadConfig(HttpConfig, { PUBLIC_URL: 'https://scim.example.com' }) as CliConfig;
    const program = buildProgram({
      config,
      // The stores outlive a command here so the test can inspect them.
      openStores: async () => ({ eventStore, readModel, close: async () => undefined }),
      output: { out: (line) => void out.push(line), err: (line) => void err.push(line) },
    });
    await program.parseAsync(['node', 'axis', ...args, '--wait-ms', '0']);
  }

  it('prints its version and a help with examples', async () => {
    const version = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
    await expect(axis('--version')).rejects.toMatchObject({ code: 'commander.version' });
    expect(out).toEqual([version]);
    out = [];
    await expect(axis('--help')).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
    expect(out.join('\n')).toMatch(/Examples:\n {2}\$ axis workspace create acme/);
  });

  it('creates a workspace with an admin key shown once and stored as a digest, actor operator', async () => {
    await axis('workspace', 'create', 'acme');
    const key = /adm_[0-9A-Za-z]{43}/.exec(out.join('\n'))?.[0];
    expect(key).toBeDefined();
    expect(out.join('\n')).toContain('https://scim.example.com/api/v1/workspaces/acme');
    const events = await eventStore.readStream('workspace-acme.settings');
    expect(events.map((event) => event.type)).toEqual(['TENANT_WORKSPACE_CREATED', 'TENANT_ADMIN_KEY_CREATED']);
    expect(events[1]!.data).toMatchObject({ sha256: secretDigest(key!), prefix: key!.slice(0, 12) });
    expect(JSON.stringify(events)).not.toContain(key);
    expect(events.every((event) => event.metadata['actor'] === 'operator')).toBe(true);
  });

  it('prints the SCIM endpoint URL and a token, or only the token with --quiet', async () => {
    await axis('workspace', 'create', 'acme', '--quiet');
    out = [];
    await axis('scim-token', 'create', '--workspace', 'acme');
    expect(out[0]).toBe('SCIM endpoint URL: https://scim.example.com/workspaces/acme/scim/v2');
    expect(out[1]).toMatch(/^Bearer token: +scim_[0-9A-Za-z]{43}$/);
    out = [];
    await axis('scim-token', 'create', '--workspace', 'acme', '--quiet', '--description', 'Okta');
    expect(out).toEqual([expect.stringMatching(/^scim_[0-9A-Za-z]{43}$/)]);
    const created = (await eventStore.readStream('workspace-acme.settings')).filter((event) => event.type === 'TENANT_SCIM_TOKEN_CREATED');
    expect(created).toHaveLength(2);
    expect(created[1]!.data).toMatchObject({ sha256: secretDigest(out[0]!), description: 'Okta' });
  });

  it('refuses a token for a workspace that does not exist, and a second creation', async () => {
    await expect(axis('scim-token', 'create', '--workspace', 'nope')).rejects.toThrow(CliError);
    await axis('workspace', 'create', 'acme', '--quiet');
    await expect(axis('workspace', 'create', 'acme')).rejects.toThrow(/already exists/);
  });

  it('revokes an admin key by prefix or id, the last one too', async () => {
    await axis('workspace', 'create', 'acme', '--quiet');
    const first = out[0]!;
    out = [];
    await axis('admin-key', 'create', '--workspace', 'acme', '--quiet', '--description', 'Alice');
    const second = out[0]!;
    const waitForKeys = async (count: number) => {
      // The test runs no projector: project the two keys as the projector would.
      const events = await eventStore.readStream('workspace-acme.settings');
      for (const event of events.filter((e) => e.type === 'TENANT_ADMIN_KEY_CREATED').slice(0, count)) {
        await readModel.manager.insert(AdminKeyRecord, {
          id: String(event.data['keyId']),
          workspaceId: 'acme',
          prefix: String(event.data['prefix']),
          keySha256: String(event.data['sha256']),
          description: (event.data['description'] as string | null) ?? null,
          createdAt: new Date().toISOString(),
          createdBy: 'operator',
          revokedAt: null,
        });
      }
    };
    await waitForKeys(2);
    out = [];
    await axis('admin-key', 'revoke', '--workspace', 'acme', first.slice(0, 12));
    expect(out.join('\n')).toContain(`Revoked admin key ${first.slice(0, 12)}`);
    const secondId = (await readModel.manager.findOneBy(AdminKeyRecord, { prefix: second.slice(0, 12) }))!.id;
    // The operator may revoke the workspace's last active key (an admin gets 409).
    await axis('admin-key', 'revoke', '--workspace', 'acme', secondId);
    const revoked = (await eventStore.readStream('workspace-acme.settings')).filter((event) => event.type === 'TENANT_ADMIN_KEY_REVOKED');
    expect(revoked.map((event) => [event.data['prefix'], event.metadata['actor']])).toEqual([
      [first.slice(0, 12), 'operator'],
      [second.slice(0, 12), 'operator'],
    ]);
    await expect(axis('admin-key', 'revoke', '--workspace', 'acme', 'adm_nothere1')).rejects.toThrow(/No admin key/);
  });
});
