import type { DomainEvent } from '../shared/event-metadata';

export interface WorkspaceCreatedData {
  workspaceId: string;
  slug: string;
}

/**
 * A credential as events carry it: its id, the visible prefix and the SHA-256 of the secret —
 * never the secret, which is shown once to whoever issued it and then exists only with them.
 */
export interface CredentialIssuedData {
  workspaceId: string;
  /** Lower-case hex SHA-256 of the secret: what the gateway looks tokens up by. */
  sha256: string;
  prefix: string;
  /** Free text an admin gave ("Entra ID production"); null when none. */
  description: string | null;
}

export interface AdminKeyCreatedData extends CredentialIssuedData {
  keyId: string;
}

export interface ScimTokenCreatedData extends CredentialIssuedData {
  tokenId: string;
}

export interface AdminKeyRevokedData {
  workspaceId: string;
  keyId: string;
  prefix: string;
}

export interface ScimTokenRevokedData {
  workspaceId: string;
  tokenId: string;
  prefix: string;
}

export type WorkspaceCreated = DomainEvent<'TENANT_WORKSPACE_CREATED', WorkspaceCreatedData>;
export type AdminKeyCreated = DomainEvent<'TENANT_ADMIN_KEY_CREATED', AdminKeyCreatedData>;
export type AdminKeyRevoked = DomainEvent<'TENANT_ADMIN_KEY_REVOKED', AdminKeyRevokedData>;
export type ScimTokenCreated = DomainEvent<'TENANT_SCIM_TOKEN_CREATED', ScimTokenCreatedData>;
export type ScimTokenRevoked = DomainEvent<'TENANT_SCIM_TOKEN_REVOKED', ScimTokenRevokedData>;

/** Everything in a workspace's `workspace-<id>.settings` stream. */
export type WorkspaceEvent = WorkspaceCreated | AdminKeyCreated | AdminKeyRevoked | ScimTokenCreated | ScimTokenRevoked;

export const WORKSPACE_EVENT_TYPES: ReadonlyArray<WorkspaceEvent['type']> = [
  'TENANT_WORKSPACE_CREATED',
  'TENANT_ADMIN_KEY_CREATED',
  'TENANT_ADMIN_KEY_REVOKED',
  'TENANT_SCIM_TOKEN_CREATED',
  'TENANT_SCIM_TOKEN_REVOKED',
];

export function isWorkspaceEvent(event: { type: string }): event is WorkspaceEvent {
  return (WORKSPACE_EVENT_TYPES as readonly string[]).includes(event.type);
}
