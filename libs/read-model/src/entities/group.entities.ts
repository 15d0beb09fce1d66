import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonTransformer } from './json.transformer';

/** A SCIM group as GET /Groups returns it (members are in `group_members`). */
@Entity('groups')
@Index('groups_workspace_display_name', ['workspaceId', 'displayNameLc'])
@Index('groups_workspace_external_id', ['workspaceId', 'externalId'])
@Index('groups_workspace_created', ['workspaceId', 'createdAt', 'id'])
export class GroupRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  /** Lower-cased displayName: filters compare it case-insensitively, on an index. */
  @Column('text', { name: 'display_name_lc' })
  displayNameLc!: string;

  @Column('text', { name: 'external_id', nullable: true })
  externalId!: string | null;

  /** The resource without id, meta and members (`{displayName, externalId?}`), for JSON-path filters. */
  @Column({ type: 'text', transformer: jsonTransformer })
  resource!: Record<string, unknown>;

  /** The group stream's revision: the resource's ETag. */
  @Column('integer')
  revision!: number;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  @Column('text', { name: 'updated_at' })
  updatedAt!: string;
}

/** One row per (group, member): the group projection's membership. */
@Entity('group_members')
@Index('group_members_member', ['memberId', 'groupId'])
export class GroupMemberRecord {
  @PrimaryColumn('text', { name: 'group_id' })
  groupId!: string;

  @PrimaryColumn('text', { name: 'member_id' })
  memberId!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;
}

/** The group-membership reactor's own copy of memberships, in its own event order. */
@Entity('group_membership_index')
@Index('group_membership_index_member', ['memberId', 'groupId'])
export class GroupMembershipIndexRecord {
  @PrimaryColumn('text', { name: 'group_id' })
  groupId!: string;

  @PrimaryColumn('text', { name: 'member_id' })
  memberId!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;
}

/** Members deleted from their workspace: an addition arriving after the deletion is undone. */
@Entity('deleted_members')
export class DeletedMemberRecord {
  @PrimaryColumn('text', { name: 'member_id' })
  memberId!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'deleted_at' })
  deletedAt!: string;
}

/** The product roles a group grants (no row: none). */
@Entity('role_mappings')
export class RoleMappingRecord {
  @PrimaryColumn('text', { name: 'workspace_id' })
  workspaceId!: string;

  @PrimaryColumn('text', { name: 'group_id' })
  groupId!: string;

  @Column({ type: 'text', transformer: jsonTransformer })
  roles!: string[];

  @Column('text', { name: 'updated_at' })
  updatedAt!: string;

  @Column('text', { name: 'updated_by' })
  updatedBy!: string;
}

/** A member's effective roles as last announced on its stream (no row: none). */
@Entity('member_roles')
export class MemberRolesRecord {
  @PrimaryColumn('text', { name: 'member_id' })
  memberId!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column({ type: 'text', transformer: jsonTransformer })
  roles!: string[];

  @Column('text', { name: 'updated_at' })
  updatedAt!: string;
}
