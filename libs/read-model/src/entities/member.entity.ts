import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { booleanTransformer, jsonTransformer } from './json.transformer';

export type MemberSource = 'scim' | 'local';

/** A workspace member as Settings → Members shows it and SCIM GET returns it. */
@Entity('members')
@Index('members_workspace_user_name', ['workspaceId', 'userNameLc'])
@Index('members_workspace_external_id', ['workspaceId', 'externalId'])
export class MemberRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'user_name' })
  userName!: string;

  /** Lower-cased userName: SCIM compares userName case-insensitively, and this column is indexed. */
  @Column('text', { name: 'user_name_lc' })
  userNameLc!: string;

  @Column('text', { name: 'external_id', nullable: true })
  externalId!: string | null;

  @Column('text', { name: 'display_name', nullable: true })
  displayName!: string | null;

  @Column('text', { name: 'given_name', nullable: true })
  givenName!: string | null;

  @Column('text', { name: 'family_name', nullable: true })
  familyName!: string | null;

  /**
   * The primary email, else the first one, as Settings → Members shows it: a column of its own so
   * the member list sorts by it on an index (0009) instead of looking it up in member_emails per row.
   */
  @Column('text', { name: 'primary_email', nullable: true })
  primaryEmail!: string | null;

  @Column({ type: 'boolean', transformer: booleanTransformer })
  active!: boolean;

  @Column('text')
  source!: MemberSource;

  /** The SCIM resource (without id/meta), for attributes that have no column of their own. */
  @Column({ type: 'text', transformer: jsonTransformer })
  resource!: Record<string, unknown>;

  /** The user stream's revision: the resource's ETag. */
  @Column('integer')
  revision!: number;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  @Column('text', { name: 'updated_at' })
  updatedAt!: string;
}
