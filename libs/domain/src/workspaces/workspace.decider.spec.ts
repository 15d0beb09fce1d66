import { deciderSpecification } from '../testing/decider-specification';
import { type NewCredential, WorkspaceRuleViolation, workspaceDecider } from './workspace.decider';
import type { WorkspaceEvent } from './workspace.events';

const spec = deciderSpecification(workspaceDecider);

const adminKey: NewCredential = { id: 'k1', sha256: 'a'.repeat(64), prefix: 'adm_AbCd1234', description: null };
const token: NewCredential = { id: 't1', sha256: 'b'.repeat(64), prefix: 'scim_AbCd1234', description: 'Entra ID' };

const created: WorkspaceEvent = { type: 'TENANT_WORKSPACE_CREATED', data: { workspaceId: 'acme', slug: 'acme' } };
const keyCreated: WorkspaceEvent = {
  type: 'TENANT_ADMIN_KEY_CREATED',
  data: { workspaceId: 'acme', keyId: 'k1', sha256: adminKey.sha256, prefix: adminKey.prefix, description: null },
};
const secondKeyCreated: WorkspaceEvent = {
  type: 'TENANT_ADMIN_KEY_CREATED',
  data: { workspaceId: 'acme', keyId: 'k2', sha256: 'd'.repeat(64), prefix: 'adm_Second12', description: 'Alice' },
};
const keyRevoked: WorkspaceEvent = { type: 'TENANT_ADMIN_KEY_REVOKED', data: { workspaceId: 'acme', keyId: 'k1', prefix: adminKey.prefix } };
const secondKeyRevoked: WorkspaceEvent = { type: 'TENANT_ADMIN_KEY_REVOKED', data: { workspaceId: 'acme', keyId: 'k2', prefix: 'adm_Second12' } };
const tokenCreated: WorkspaceEvent = {
  type: 'TENANT_SCIM_TOKEN_CREATED',
  data: { workspaceId: 'acme', tokenId: 't1', sha256: token.sha256, prefix: token.prefix, description: 'Entra ID' },
};
const tokenRevoked: WorkspaceEvent = {
  type: 'TENANT_SCIM_TOKEN_REVOKED',
  data: { workspaceId: 'acme', tokenId: 't1', prefix: token.prefix },
};

function violation(rule: WorkspaceRuleViolation['rule']) {
  return (error: Error) => expect((error as WorkspaceRuleViolation).rule).toBe(rule);
}

describe('workspace decider', () => {
  describe('CreateWorkspace', () => {
    it('creates the workspace and its first admin key in one decision', () => {
      spec.given([]).when({ type: 'CreateWorkspace', workspaceId: 'acme', adminKey }).then([created, keyCreated]);
    });

    it('creates a workspace without an admin key (the embedded default)', () => {
      spec.given([]).when({ type: 'CreateWorkspace', workspaceId: 'acme', adminKey: null }).then([created]);
    });

    it('refuses a second creation', () => {
      spec
        .given([created])
        .when({ type: 'CreateWorkspace', workspaceId: 'acme', adminKey: null })
        .thenThrows(WorkspaceRuleViolation, violation('already-exists'));
    });

    it.each(['Acme', 'a.b', '-acme', '', 'a'.repeat(64), 'ac me'])('refuses the slug %j', (slug) => {
      spec
        .given([])
        .when({ type: 'CreateWorkspace', workspaceId: slug, adminKey: null })
        .thenThrows(WorkspaceRuleViolation, violation('invalid-slug'));
    });
  });

  describe('CreateAdminKey', () => {
    it('adds a key to an existing workspace', () => {
      spec.given([created]).when({ type: 'CreateAdminKey', workspaceId: 'acme', key: adminKey }).then([keyCreated]);
    });

    it('refuses a key for a workspace that does not exist', () => {
      spec
        .given([])
        .when({ type: 'CreateAdminKey', workspaceId: 'acme', key: adminKey })
        .thenThrows(WorkspaceRuleViolation, violation('not-found'));
    });
  });

  describe('CreateScimToken', () => {
    it('records the digest and prefix of a new token', () => {
      spec.given([created, keyCreated]).when({ type: 'CreateScimToken', workspaceId: 'acme', token }).then([tokenCreated]);
    });

    it('keeps several live tokens', () => {
      const second: NewCredential = { id: 't2', sha256: 'c'.repeat(64), prefix: 'scim_Zz999999', description: null };
      spec
        .given([created, tokenCreated])
        .when({ type: 'CreateScimToken', workspaceId: 'acme', token: second })
        .then([
          {
            type: 'TENANT_SCIM_TOKEN_CREATED',
            data: { workspaceId: 'acme', tokenId: 't2', sha256: second.sha256, prefix: second.prefix, description: null },
          },
        ]);
    });

    it('registers the same secret once (a restart of the embedded default)', () => {
      spec
        .given([created, tokenCreated])
        .when({ type: 'CreateScimToken', workspaceId: 'acme', token: { ...token, id: 'other-id' } })
        .thenNothingHappens();
    });

    it('never brings a revoked secret back', () => {
      spec
        .given([created, tokenCreated, tokenRevoked])
        .when({ type: 'CreateScimToken', workspaceId: 'acme', token: { ...token, id: 'other-id' } })
        .thenThrows(WorkspaceRuleViolation, violation('credential-revoked'));
    });

    it('refuses a token for a workspace that does not exist', () => {
      spec
        .given([])
        .when({ type: 'CreateScimToken', workspaceId: 'acme', token })
        .thenThrows(WorkspaceRuleViolation, violation('not-found'));
    });
  });

  describe('RevokeScimToken', () => {
    it('revokes a live token', () => {
      spec.given([created, tokenCreated]).when({ type: 'RevokeScimToken', workspaceId: 'acme', tokenId: 't1' }).then([tokenRevoked]);
    });

    it('revoking twice changes nothing', () => {
      spec
        .given([created, tokenCreated, tokenRevoked])
        .when({ type: 'RevokeScimToken', workspaceId: 'acme', tokenId: 't1' })
        .thenNothingHappens();
    });

    it('refuses an unknown token id', () => {
      spec
        .given([created, tokenCreated])
        .when({ type: 'RevokeScimToken', workspaceId: 'acme', tokenId: 'nope' })
        .thenThrows(WorkspaceRuleViolation, violation('token-not-found'));
    });
  });

  describe('CreateAdminKey registering a known key', () => {
    it('registers the same secret once (a restart of the embedded default)', () => {
      spec
        .given([created, keyCreated])
        .when({ type: 'CreateAdminKey', workspaceId: 'acme', key: { ...adminKey, id: 'other-id' } })
        .thenNothingHappens();
    });

    it('never brings a revoked key back', () => {
      spec
        .given([created, keyCreated, secondKeyCreated, keyRevoked])
        .when({ type: 'CreateAdminKey', workspaceId: 'acme', key: { ...adminKey, id: 'other-id' } })
        .thenThrows(WorkspaceRuleViolation, violation('credential-revoked'));
    });
  });

  describe('RevokeAdminKey', () => {
    it('revokes a live key while another key stays live', () => {
      spec
        .given([created, keyCreated, secondKeyCreated])
        .when({ type: 'RevokeAdminKey', workspaceId: 'acme', keyId: 'k1', allowLastKey: false })
        .then([keyRevoked]);
    });

    it("refuses to revoke an admin's last live key", () => {
      spec
        .given([created, keyCreated, secondKeyCreated, secondKeyRevoked])
        .when({ type: 'RevokeAdminKey', workspaceId: 'acme', keyId: 'k1', allowLastKey: false })
        .thenThrows(WorkspaceRuleViolation, violation('last-admin-key'));
    });

    it('lets the operator revoke the last live key', () => {
      spec
        .given([created, keyCreated])
        .when({ type: 'RevokeAdminKey', workspaceId: 'acme', keyId: 'k1', allowLastKey: true })
        .then([keyRevoked]);
    });

    it('revoking twice changes nothing', () => {
      spec
        .given([created, keyCreated, secondKeyCreated, keyRevoked])
        .when({ type: 'RevokeAdminKey', workspaceId: 'acme', keyId: 'k1', allowLastKey: false })
        .thenNothingHappens();
    });

    it('refuses an unknown key id', () => {
      spec
        .given([created, keyCreated])
        .when({ type: 'RevokeAdminKey', workspaceId: 'acme', keyId: 'nope', allowLastKey: true })
        .thenThrows(WorkspaceRuleViolation, violation('admin-key-not-found'));
    });
  });
});
