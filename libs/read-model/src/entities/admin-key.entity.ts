import { Column, Entity, PrimaryColumn, Index } from 'typeorm';

/** An admin API key of one workspace (`adm_…`), projected from `TENANT_ADMIN_KEY_CREATED`; SHA-256 only. */
@Entity('admin_keys')
export class AdminKeyRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text')
  prefix!: string;

  @Index('admin_keys_sha256', { unique: true })
  @Column('text', { name: 'key_sha256' })
  keySha256!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @Column('text', { name: 'revoked_at', nullable: true })
  revokedAt!: string | null;
}
