import { AdminKeyRecord, ScimTokenRecord, WorkspaceRecord, WORKSPACES_PROJECTION } from '@axis/read-model';
import { ProjectorHarness } from '../testing/projector-harness';
import { workspacesProjection } from './workspaces.projection';

describe('workspaces projection', () => {
  let harness: ProjectorHarness;

  beforeEach(async () => {
    harness = await ProjectorHarness.open();
    await harness.start([workspacesProjection]);
  });
  afterEach(() => harness.close());

  it('projects workspaces, admin keys and SCIM tokens with their actors, digests only', async () => {
    const stream = 'workspace-acme.settings';
    await harness.append(stream, 'TENANT_WORKSPACE_CREATED', { workspaceId: 'acme', slug: 'acme' }, 'acme', 'operator');
    await harness.append(stream, 'TENANT_ADMIN_KEY_CREATED', { workspaceId: 'acme', keyId: 'k1', sha256: 'a'.repeat(64), prefix: 'adm_AbCd1234', description: null }, 'acme', 'operator');
    await harness.append(stream, 'TENANT_SCIM_TOKEN_CREATED', { workspaceId: 'acme', tokenId: 't1', sha256: 'b'.repeat(64), prefix: 'scim_AbCd1234', description: 'Okta' }, 'acme', 'admin:adm_AbCd1234');
    const last = await harness.append(stream, 'TENANT_SCIM_TOKEN_REVOKED', { workspaceId: 'acme', tokenId: 't1', prefix: 'scim_AbCd1234' }, 'acme', 'admin:adm_Other999');
    await harness.caughtUp(WORKSPACES_PROJECTION, last);

    const manager = harness.readModel.manager;
    expect(await manager.findOneBy(WorkspaceRecord, { id: 'acme' })).toMatchObject({ id: 'acme', createdBy: 'operator' });
    expect(await manager.findOneBy(AdminKeyRecord, { id: 'k1' })).toMatchObject({ workspaceId: 'acme', keySha256: 'a'.repeat(64), prefix: 'adm_AbCd1234', revokedAt: null });
    expect(await manager.findOneBy(ScimTokenRecord, { id: 't1' })).toMatchObject({
      workspaceId: 'acme',
      tokenSha256: 'b'.repeat(64),
      prefix: 'scim_AbCd1234',
      description: 'Okta',
      createdBy: 'admin:adm_AbCd1234',
      revokedBy: 'admin:adm_Other999',
      revokedAt: expect.any(String),
    });
  });

  it('marks a revoked admin key revoked', async () => {
    const stream = 'workspace-acme.settings';
    await harness.append(stream, 'TENANT_WORKSPACE_CREATED', { workspaceId: 'acme', slug: 'acme' }, 'acme', 'operator');
    await harness.append(stream, 'TENANT_ADMIN_KEY_CREATED', { workspaceId: 'acme', keyId: 'k1', sha256: 'a'.repeat(64), prefix: 'adm_AbCd1234', description: null }, 'acme', 'operator');
    await harness.append(stream, 'TENANT_ADMIN_KEY_CREATED', { workspaceId: 'acme', keyId: 'k2', sha256: 'c'.repeat(64), prefix: 'adm_Other999', description: 'Alice' }, 'acme', 'operator');
    const last = await harness.append(stream, 'TENANT_ADMIN_KEY_REVOKED', { workspaceId: 'acme', keyId: 'k1', prefix: 'adm_AbCd1234' }, 'acme', 'admin:adm_Other999');
    await harness.caughtUp(WORKSPACES_PROJECTION, last);

    const manager = harness.readModel.manager;
    expect(await manager.findOneBy(AdminKeyRecord, { id: 'k1' })).toMatchObject({ revokedAt: expect.any(String) });
    expect(await manager.findOneBy(AdminKeyRecord, { id: 'k2' })).toMatchObject({ revokedAt: null });
  });
});
