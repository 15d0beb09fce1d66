import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A sign-in session of a member (what SSO hands out). Operational state written directly by the
 * gateway, not projected from events; the session revoker sets `revokedAt` when the member is
 * deactivated or deleted upstream. Only the SHA-256 of the session token is stored.
 */
@Entity('sessions')
@Index('sessions_member', ['memberId', 'revokedAt'])
export class SessionRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'member_id' })
  memberId!: string;

  @Index('sessions_sha256', { unique: true })
  @Column('text', { name: 'token_sha256' })
  tokenSha256!: string;

  @Column('text')
  prefix!: string;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  @Column('text', { name: 'revoked_at', nullable: true })
  revokedAt!: string | null;

  /** The event type (or `logout`) that ended the session. */
  @Column('text', { name: 'revoked_reason', nullable: true })
  revokedReason!: string | null;
}
