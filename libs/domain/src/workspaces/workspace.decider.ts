import type { WorkspaceEvent } from './workspace.events';
import type { Decider } from '../shared/decider';

/** Workspace ids are slugs: they appear in host names, URL paths and stream names. */
export const WORKSPACE_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface CredentialState {
  prefix: string;
  sha256: string;
  revoked: boolean;
}

export type WorkspaceState =
  | { status: 'absent' }
  | {
      status: 'active';
      workspaceId: string;
      adminKeys: Readonly<Record<string, CredentialState>>;
      scimTokens: Readonly<Record<string, CredentialState>>;
    };

/** A credential the caller generated; the decider sees only its digest and prefix. */
export interface NewCredential {
  id: string;
  sha256: string;
  prefix: string;
  description: string | null;
}

export interface CreateWorkspace {
  type: 'CreateWorkspace';
  workspaceId: string;
  /** The first admin key, issued in the same append so a workspace never exists without one. */
  adminKey: NewCredential | null;
}

export interface CreateAdminKey {
  type: 'CreateAdminKey';
  workspaceId: string;
  key: NewCredential;
}

export interface RevokeAdminKey {
  type: 'RevokeAdminKey';
  workspaceId: string;
  keyId: string;
  /**
   * The operator (CLI) may revoke a workspace's last live key; an admin may not, since that would
   * lock every admin out of the workspace.
   */
  allowLastKey: boolean;
}

export interface CreateScimToken {
  type: 'CreateScimToken';
  workspaceId: string;
  token: NewCredential;
}

export interface RevokeScimToken {
  type: 'RevokeScimToken';
  workspaceId: string;
  tokenId: string;
}

export type WorkspaceCommand = CreateWorkspace | CreateAdminKey | RevokeAdminKey | CreateScimToken | RevokeScimToken;

export class WorkspaceRuleViolation extends Error {
  constructor(
    readonly rule: 'already-exists' | 'not-found' | 'invalid-slug' | 'token-not-found' | 'admin-key-not-found' | 'last-admin-key' | 'credential-revoked',
    message: string,
  ) {
    super(message);
    this.name = 'WorkspaceRuleViolation';
  }
}

export const initialWorkspaceState = (): WorkspaceState => ({ status: 'absent' });

export function decideWorkspace(command: WorkspaceCommand, state: WorkspaceState): WorkspaceEvent[] {
  switch (command.type) {
    case 'CreateWorkspace': {
      if (!WORKSPACE_SLUG_PATTERN.test(command.workspaceId)) {
        throw new WorkspaceRuleViolation('invalid-slug', `"${command.workspaceId}" is not a workspace slug (a-z, 0-9, -; at most 63)`);
      }
      if (state.status !== 'absent') throw new WorkspaceRuleViolation('already-exists', `Workspace ${command.workspaceId} already exists`);
      const created: WorkspaceEvent = {
        type: 'TENANT_WORKSPACE_CREATED',
        data: { workspaceId: command.workspaceId, slug: command.workspaceId },
      };
      return command.adminKey ? [created, adminKeyCreated(command.workspaceId, command.adminKey)] : [created];
    }
    case 'CreateAdminKey': {
      const workspace = requireWorkspace(state, command.workspaceId);
      // As for SCIM tokens: the embedded default registers its key file's key on every start.
      const existing = Object.values(workspace.adminKeys).find((key) => key.sha256 === command.key.sha256);
      if (existing?.revoked) throw new WorkspaceRuleViolation('credential-revoked', `Admin key ${existing.prefix}… was revoked`);
      if (existing) return [];
      return [adminKeyCreated(command.workspaceId, command.key)];
    }
    case 'RevokeAdminKey': {
      const workspace = requireWorkspace(state, command.workspaceId);
      const key = workspace.adminKeys[command.keyId];
      if (!key) throw new WorkspaceRuleViolation('admin-key-not-found', `No admin key ${command.keyId} in workspace ${command.workspaceId}`);
      if (key.revoked) return [];
      const othersLive = Object.entries(workspace.adminKeys).some(([id, other]) => id !== command.keyId && !other.revoked);
      if (!othersLive && !command.allowLastKey) {
        throw new WorkspaceRuleViolation('last-admin-key', `Admin key ${key.prefix}… is the last active admin key of workspace ${command.workspaceId}`);
      }
      return [{ type: 'TENANT_ADMIN_KEY_REVOKED', data: { workspaceId: command.workspaceId, keyId: command.keyId, prefix: key.prefix } }];
    }
    case 'CreateScimToken': {
      const workspace = requireWorkspace(state, command.workspaceId);
      // Registering a token twice (the embedded default does so on every start) changes nothing;
      // a revoked token never comes back.
      const existing = Object.values(workspace.scimTokens).find((token) => token.sha256 === command.token.sha256);
      if (existing?.revoked) throw new WorkspaceRuleViolation('credential-revoked', `Token ${existing.prefix}… was revoked`);
      if (existing) return [];
      const { id, ...token } = command.token;
      return [{ type: 'TENANT_SCIM_TOKEN_CREATED', data: { workspaceId: command.workspaceId, tokenId: id, ...token } }];
    }
    case 'RevokeScimToken': {
      const workspace = requireWorkspace(state, command.workspaceId);
      const token = workspace.scimTokens[command.tokenId];
      if (!token) throw new WorkspaceRuleViolation('token-not-found', `No SCIM token ${command.tokenId} in workspace ${command.workspaceId}`);
      if (token.revoked) return [];
      return [{ type: 'TENANT_SCIM_TOKEN_REVOKED', data: { workspaceId: command.workspaceId, tokenId: command.tokenId, prefix: token.prefix } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveWorkspace(state: WorkspaceState, event: WorkspaceEvent): WorkspaceState {
  switch (event.type) {
    case 'TENANT_WORKSPACE_CREATED':
      return { status: 'active', workspaceId: event.data.workspaceId, adminKeys: {}, scimTokens: {} };
    case 'TENANT_ADMIN_KEY_CREATED':
      if (state.status !== 'active') return state;
      return { ...state, adminKeys: { ...state.adminKeys, [event.data.keyId]: credentialOf(event.data) } };
    case 'TENANT_ADMIN_KEY_REVOKED': {
      if (state.status !== 'active') return state;
      const key = state.adminKeys[event.data.keyId];
      if (!key) return state;
      return { ...state, adminKeys: { ...state.adminKeys, [event.data.keyId]: { ...key, revoked: true } } };
    }
    case 'TENANT_SCIM_TOKEN_CREATED':
      if (state.status !== 'active') return state;
      return { ...state, scimTokens: { ...state.scimTokens, [event.data.tokenId]: credentialOf(event.data) } };
    case 'TENANT_SCIM_TOKEN_REVOKED': {
      if (state.status !== 'active') return state;
      const token = state.scimTokens[event.data.tokenId];
      if (!token) return state;
      return { ...state, scimTokens: { ...state.scimTokens, [event.data.tokenId]: { ...token, revoked: true } } };
    }
    default:
      return assertNever(event);
  }
}

function requireWorkspace(state: WorkspaceState, workspaceId: string): Extract<WorkspaceState, { status: 'active' }> {
  if (state.status !== 'active') throw new WorkspaceRuleViolation('not-found', `Workspace ${workspaceId} does not exist`);
  return state;
}

function adminKeyCreated(workspaceId: string, key: NewCredential): WorkspaceEvent {
  const { id, ...rest } = key;
  return { type: 'TENANT_ADMIN_KEY_CREATED', data: { workspaceId, keyId: id, ...rest } };
}

function credentialOf(data: { sha256: string; prefix: string }): CredentialState {
  return { prefix: data.prefix, sha256: data.sha256, revoked: false };
}

function assertNever(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}

export const workspaceDecider: Decider<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = { decide: decideWorkspace, evolve: evolveWorkspace, initialState: initialWorkspaceState };
