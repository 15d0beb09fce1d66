import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin console (issue 21), both tables written by the gateway, not by a projection:
 * - `console_sessions`: an admin's sign-in to one workspace with one admin key; only the SHA-256
 *   of the cookie secret; idle and absolute expiry are checked against `last_seen_at` and
 *   `expires_at` on every request, so any gateway process can serve it; rows past their absolute
 *   expiry are deleted by the gateway from time to time (`expires_at` index).
 * - `admin_key_usage`: when an admin key was last used (like `scim_token_usage`; a table of its
 *   own so rebuilding `admin_keys` does not lose it).
 */
export class ConsoleSessions1764288000007 implements MigrationInterface {
  name = 'ConsoleSessions1764288000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE console_sessions (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        admin_key_id text NOT NULL,
        secret_sha256 text NOT NULL,
        csrf_token text NOT NULL,
        created_at text NOT NULL,
        last_seen_at text NOT NULL,
        expires_at text NOT NULL,
        revoked_at text
      )`,
      `CREATE UNIQUE INDEX console_sessions_sha256 ON console_sessions (secret_sha256)`,
      `CREATE INDEX console_sessions_expires ON console_sessions (expires_at)`,
      `CREATE TABLE admin_key_usage (
        key_id text PRIMARY KEY,
        last_used_at text NOT NULL
      )`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS admin_key_usage');
    await queryRunner.query('DROP TABLE IF EXISTS console_sessions');
  }
}
