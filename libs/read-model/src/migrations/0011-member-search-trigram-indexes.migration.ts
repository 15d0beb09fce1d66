import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settings → Members' search (`q`, a substring of userName, displayName or any email) read the whole
 * workspace: 400 ms p50 / 730 ms p95 a first page at 100,000 members on PostgreSQL
 * (bench:admin-console; EXPLAIN: a sequential scan of members for the count, and a walk of the
 * creation index for the page, each probing a hashed scan of member_emails). PostgreSQL's pg_trgm
 * GIN indexes answer `LIKE '%…%'` for terms with three letters or digits in a row (the search then
 * takes an index per column: listMemberDirectory): ≈ 2 ms.
 *
 * pg_trgm is a contrib extension, trusted since PostgreSQL 13 (a user with CREATE on the database
 * installs it). One install serves every schema of the database, so it goes to `public` (a schema
 * of the read model may be dropped with CASCADE, which would take the extension and every other
 * schema's indexes on it along); when it is already installed, its schema is used. Where it is not
 * available or not allowed, no index is made: the search stays correct, as slow as before.
 * Migrations run under the read model's global advisory lock, so two schemas migrating at once do
 * not race to create the extension. SQLite has no trigram index (FTS5's trigram tokenizer would
 * need a shadow table kept by triggers): nothing to do there (190 ms in process at 100,000 members).
 */
export class MemberSearchTrigramIndexes1764288000011 implements MigrationInterface {
  name = 'MemberSearchTrigramIndexes1764288000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    const schema = await trigramSchema(queryRunner);
    if (schema === null) return;
    const opclass = `"${schema.replace(/"/g, '""')}".gin_trgm_ops`;
    await queryRunner.query(`CREATE INDEX members_user_name_trgm ON members USING gin (user_name_lc ${opclass})`);
    await queryRunner.query(`CREATE INDEX members_display_name_trgm ON members USING gin (lower(display_name) ${opclass})`);
    await queryRunner.query(`CREATE INDEX member_emails_value_trgm ON member_emails USING gin (value_lc ${opclass})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    // The extension stays: other schemas of the database may use it.
    for (const index of ['member_emails_value_trgm', 'members_display_name_trgm', 'members_user_name_trgm']) await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
  }
}

/** The schema pg_trgm is installed in, installing it in `public` when allowed; null when it cannot be had. */
async function trigramSchema(queryRunner: QueryRunner): Promise<string | null> {
  const installed = (await queryRunner.query(`SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'`)) as Array<{ schema: string }>;
  if (installed[0]) return installed[0].schema;
  const [possible] = (await queryRunner.query(
    `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') AS available,
            has_database_privilege(current_database(), 'CREATE') AND has_schema_privilege('public', 'CREATE') AS allowed`,
  )) as Array<{ available: boolean; allowed: boolean }>;
  if (!possible?.available || !possible.allowed) return null;
  await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  return 'public';
}
