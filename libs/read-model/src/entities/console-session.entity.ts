import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An admin's console sign-in (the `axis_console` cookie), written by the gateway: operational
 * state, not an event. Only the SHA-256 of the cookie's secret is stored.
 */
@Entity('console_sessions')
@Index('console_sessions_expires', ['expiresAt'])
export class ConsoleSessionRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'admin_key_id' })
  adminKeyId!: string;

  @Index('console_sessions_sha256', { unique: true })
  @Column('text', { name: 'secret_sha256' })
  secretSha256!: string;

  /** Sent back by the console in `X-CSRF-Token`; not a credential on its own (useless without the cookie). */
  @Column('text', { name: 'csrf_token' })
  csrfToken!: string;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  /** Moved forward at most once a minute per process: the idle expiry counts from it. */
  @Column('text', { name: 'last_seen_at' })
  lastSeenAt!: string;

  /** The absolute expiry (creation + CONSOLE_SESSION_MAX_HOURS). */
  @Column('text', { name: 'expires_at' })
  expiresAt!: string;

  @Column('text', { name: 'revoked_at', nullable: true })
  revokedAt!: string | null;
}

/** When an admin key was last used, written by the gateway at most once a minute per key and process. */
@Entity('admin_key_usage')
export class AdminKeyUsageRecord {
  @PrimaryColumn('text', { name: 'key_id' })
  keyId!: string;

  @Column('text', { name: 'last_used_at' })
  lastUsedAt!: string;
}
