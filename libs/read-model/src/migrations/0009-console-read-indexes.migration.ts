import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the admin console's reads (issue 21), each one a sort or filter that would otherwise
 * read and sort a whole workspace (100,000 members) for every page:
 * - Settings → Members sorted by userName / displayName (id breaks ties, so the index also serves
 *   the order), and filtered by source or state in creation order (also what the connection
 *   panel's count of SCIM users and the duplicates' walk over local accounts read).
 * - Actor names: admin keys and SCIM tokens by their visible prefix within a workspace.
 */
export class ConsoleReadIndexes1764288000009 implements MigrationInterface {
  name = 'ConsoleReadIndexes1764288000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE INDEX members_workspace_user_name_id ON members (workspace_id, user_name_lc, id)`,
      `CREATE INDEX members_workspace_display_name ON members (workspace_id, lower(display_name), id)`,
      `CREATE INDEX members_workspace_source_created ON members (workspace_id, source, created_at, id)`,
      `CREATE INDEX members_workspace_active_created ON members (workspace_id, active, created_at, id)`,
      `CREATE INDEX admin_keys_workspace_prefix ON admin_keys (workspace_id, prefix)`,
      `CREATE INDEX scim_tokens_workspace_prefix ON scim_tokens (workspace_id, prefix)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'scim_tokens_workspace_prefix',
      'admin_keys_workspace_prefix',
      'members_workspace_active_created',
      'members_workspace_source_created',
      'members_workspace_display_name',
      'members_workspace_user_name_id',
    ]) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
