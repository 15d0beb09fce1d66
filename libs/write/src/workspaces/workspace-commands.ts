import { randomUUID } from 'node:crypto';
import { generateAdminKey, generateScimToken, secretDigest, secretPrefix } from '@axis/credentials';
import {
  type NewCredential,
  type WorkspaceCommand,
  type WorkspaceEvent,
  WorkspaceRuleViolation,
  type WorkspaceState,
  workspaceDecider,
  workspaceStreamName,
} from '@axis/domain';
import type { EventStore, Position } from '@axis/event-store';
import { type AppendedDecision, decideAndAppend } from '../decide-and-append';
import type { WriteContext } from '../write-context';

/** A secret just issued: `secret` is shown to the caller once and must never be stored or logged. */
export interface IssuedSecret {
  id: string;
  secret: string;
  prefix: string;
  description: string | null;
  createdAt: string;
  /** Position of the event that recorded it: wait for the projection to pass it before relying on it. */
  position: Position | null;
}

/**
 * The write side of workspaces and their credentials, shared by the admin API, the CLI and the
 * embedded bootstrap. Secrets are generated here and leave only in the returned value; events
 * carry their SHA-256 and visible prefix.
 */
export class WorkspaceCommands {
  constructor(private readonly eventStore: EventStore) {}

  /** Creates a workspace, by default with its first admin key (both in one append). */
  async createWorkspace(context: WriteContext, options: { adminKey: boolean }): Promise<{ adminKey: IssuedSecret | null; position: Position | null }> {
    const adminKey = options.adminKey ? newCredential(generateAdminKey(), null) : null;
    const result = await this.run(context, { type: 'CreateWorkspace', workspaceId: context.workspaceId, adminKey: adminKey?.credential ?? null });
    return { adminKey: adminKey ? issued(adminKey, result) : null, position: result.position };
  }

  /** Creates the workspace unless it exists; true when it was created now. */
  async ensureWorkspace(context: WriteContext): Promise<boolean> {
    try {
      await this.createWorkspace(context, { adminKey: false });
      return true;
    } catch (error) {
      if (error instanceof WorkspaceRuleViolation && error.rule === 'already-exists') return false;
      throw error;
    }
  }

  async createAdminKey(context: WriteContext, description: string | null = null): Promise<IssuedSecret> {
    const key = newCredential(generateAdminKey(), description);
    const result = await this.run(context, { type: 'CreateAdminKey', workspaceId: context.workspaceId, key: key.credential });
    return issued(key, result);
  }

  /**
   * Records an admin key generated elsewhere (the embedded default's key file) unless it is
   * already recorded; throws WorkspaceRuleViolation `credential-revoked` if it was revoked.
   */
  async registerAdminKey(context: WriteContext, key: string, description: string | null): Promise<{ position: Position | null }> {
    const credential = newCredential(key, description);
    const result = await this.run(context, { type: 'CreateAdminKey', workspaceId: context.workspaceId, key: credential.credential });
    return { position: result.position };
  }

  /**
   * Revokes an admin key; revoking a revoked key changes nothing (position null). Only the
   * operator passes `allowLastKey`: an admin cannot lock every admin out of the workspace.
   */
  async revokeAdminKey(context: WriteContext, keyId: string, options: { allowLastKey: boolean }): Promise<{ position: Position | null; prefix: string | null }> {
    const result = await this.run(context, { type: 'RevokeAdminKey', workspaceId: context.workspaceId, keyId, allowLastKey: options.allowLastKey });
    const state = result.state;
    return { position: result.position, prefix: state.status === 'active' ? (state.adminKeys[keyId]?.prefix ?? null) : null };
  }

  async createScimToken(context: WriteContext, description: string | null = null): Promise<IssuedSecret> {
    const token = newCredential(generateScimToken(), description);
    const result = await this.run(context, { type: 'CreateScimToken', workspaceId: context.workspaceId, token: token.credential });
    return issued(token, result);
  }

  /**
   * Records a token generated elsewhere (the embedded default's token file) unless it is already
   * recorded; throws WorkspaceRuleViolation `credential-revoked` if it was revoked.
   */
  async registerScimToken(context: WriteContext, token: string, description: string | null): Promise<{ position: Position | null }> {
    const credential = newCredential(token, description);
    const result = await this.run(context, { type: 'CreateScimToken', workspaceId: context.workspaceId, token: credential.credential });
    return { position: result.position };
  }

  /** Revokes a token; revoking a revoked token changes nothing (position null). */
  async revokeScimToken(context: WriteContext, tokenId: string): Promise<{ position: Position | null; prefix: string | null }> {
    const result = await this.run(context, { type: 'RevokeScimToken', workspaceId: context.workspaceId, tokenId });
    const state = result.state;
    return { position: result.position, prefix: state.status === 'active' ? (state.scimTokens[tokenId]?.prefix ?? null) : null };
  }

  private run(context: WriteContext, command: WorkspaceCommand): Promise<AppendedDecision<WorkspaceEvent, WorkspaceState>> {
    return decideAndAppend(this.eventStore, workspaceDecider, workspaceStreamName(context.workspaceId), command, context);
  }
}

function newCredential(secret: string, description: string | null): { secret: string; credential: NewCredential } {
  return { secret, credential: { id: randomUUID(), sha256: secretDigest(secret), prefix: secretPrefix(secret), description } };
}

function issued(
  created: { secret: string; credential: NewCredential },
  result: AppendedDecision<WorkspaceEvent, WorkspaceState>,
): IssuedSecret {
  return {
    id: created.credential.id,
    secret: created.secret,
    prefix: created.credential.prefix,
    description: created.credential.description,
    createdAt: result.occurredAt,
    position: result.position,
  };
}
