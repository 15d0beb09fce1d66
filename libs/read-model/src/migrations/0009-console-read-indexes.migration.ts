import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin console's reads (issue 21), each one a sort or filter that would otherwise read and
 * sort a whole workspace (100,000 members) for every page:
 * - `members.primary_email` (the primary email, else the first; filled by the members projection
 *   through memberColumnsOf, back-filled here from member_emails) with an index on its lower-cased
 *   value: Settings → Members sorted by email. Looked up per row in member_emails, that order took
 *   215 ms (SQLite) and 440 ms (PostgreSQL) a page at 100,000 members.
 * - Settings → Members sorted by userName / displayName (id breaks ties, so the index also serves
 *   the order), and filtered by source or state in creation order (also what the connection
 *   panel's count of SCIM users and the duplicates' walk over local accounts read).
 * - Actor names: admin keys and SCIM tokens by their visible prefix within a workspace.
 */
export class ConsoleReadIndexes1764288000009 implements MigrationInterface {
  name = 'ConsoleReadIndexes1764288000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE members ADD COLUMN primary_email text`,
      `UPDATE members SET primary_email = COALESCE(
         (SELECT e.value FROM member_emails e WHERE e.member_id = members.id AND e."primary" = TRUE ORDER BY e.ordinal LIMIT 1),
         (SELECT e.value FROM member_emails e WHERE e.member_id = members.id ORDER BY e.ordinal LIMIT 1))`,
      `CREATE INDEX members_workspace_email ON members (workspace_id, lower(primary_email), id)`,
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
      'members_workspace_email',
    ]) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
    await queryRunner.query('ALTER TABLE members DROP COLUMN primary_email');
  }
}
