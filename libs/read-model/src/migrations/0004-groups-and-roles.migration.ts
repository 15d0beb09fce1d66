import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups over SCIM and role mappings.
 * - `groups`, `group_members`: the group projection (what SCIM GET /Groups reads, in the shape of
 *   libs/scim's DEFAULT_GROUP_SQL_MAPPING); `group_members` is also what user.groups reads.
 * - `group_membership_index`, `deleted_members`, `role_mappings`, `member_roles`: state of the
 *   group-membership reactor (its own checkpoint, never replayed with the projections): which
 *   groups a member is in (to remove a deleted member from them), the groups → roles mapping and
 *   each member's effective roles as last announced.
 */
export class GroupsAndRoles1764288000004 implements MigrationInterface {
  name = 'GroupsAndRoles1764288000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const json = postgres ? 'jsonb' : 'text';
    const statements = [
      `CREATE TABLE groups (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        display_name text NOT NULL,
        display_name_lc text NOT NULL,
        external_id text,
        resource ${json} NOT NULL,
        revision integer NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL
      )`,
      `CREATE INDEX groups_workspace_display_name ON groups (workspace_id, display_name_lc)`,
      `CREATE INDEX groups_workspace_external_id ON groups (workspace_id, external_id)`,
      `CREATE INDEX groups_workspace_created ON groups (workspace_id, created_at, id)`,
      `CREATE TABLE group_members (
        group_id text NOT NULL,
        member_id text NOT NULL,
        workspace_id text NOT NULL,
        PRIMARY KEY (group_id, member_id)
      )`,
      `CREATE INDEX group_members_member ON group_members (member_id, group_id)`,
      `CREATE TABLE group_membership_index (
        group_id text NOT NULL,
        member_id text NOT NULL,
        workspace_id text NOT NULL,
        PRIMARY KEY (group_id, member_id)
      )`,
      `CREATE INDEX group_membership_index_member ON group_membership_index (member_id, group_id)`,
      `CREATE TABLE deleted_members (
        member_id text PRIMARY KEY,
        workspace_id text NOT NULL,
        deleted_at text NOT NULL
      )`,
      `CREATE TABLE role_mappings (
        workspace_id text NOT NULL,
        group_id text NOT NULL,
        roles ${json} NOT NULL,
        updated_at text NOT NULL,
        updated_by text NOT NULL,
        PRIMARY KEY (workspace_id, group_id)
      )`,
      `CREATE TABLE member_roles (
        member_id text PRIMARY KEY,
        workspace_id text NOT NULL,
        roles ${json} NOT NULL,
        updated_at text NOT NULL
      )`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['member_roles', 'role_mappings', 'deleted_members', 'group_membership_index', 'group_members', 'groups']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
