import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A workspace's SCIM bearer token, projected from `TENANT_SCIM_TOKEN_*` events. Only the SHA-256
 * of the token is stored: the gateway hashes what a request presents and looks it up here.
 */
@Entity('scim_tokens')
@Index('scim_tokens_workspace', ['workspaceId', 'createdAt'])
export class ScimTokenRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text')
  prefix!: string;

  @Index('scim_tokens_sha256', { unique: true })
  @Column('text', { name: 'token_sha256' })
  tokenSha256!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @Column('text', { name: 'revoked_at', nullable: true })
  revokedAt!: string | null;

  @Column('text', { name: 'revoked_by', nullable: true })
  revokedBy!: string | null;
}

/**
 * When a token was last used, written by the gateway (at most once a minute per token and
 * process). Operational state, not a fact worth an event, and a table of its own so the
 * projection that owns `scim_tokens` can be rebuilt without touching it.
 */
@Entity('scim_token_usage')
export class ScimTokenUsageRecord {
  @PrimaryColumn('text', { name: 'token_id' })
  tokenId!: string;

  @Column('text', { name: 'last_used_at' })
  lastUsedAt!: string;
}
