import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A value filter over a group's members (`members[value co "x"]`) reads the searched workspace's
 * memberships once (see libs/scim's compiler). `group_members` had no index starting with the
 * workspace, so that pass read every workspace's memberships; `member_emails` already has one.
 */
export class WorkspaceElementIndexes1764288000006 implements MigrationInterface {
  name = 'WorkspaceElementIndexes1764288000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX group_members_workspace_member ON group_members (workspace_id, member_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS group_members_workspace_member`);
  }
}
