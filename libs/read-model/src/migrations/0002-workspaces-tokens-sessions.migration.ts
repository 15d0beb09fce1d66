import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workspaces, their SCIM tokens and admin keys (projected; SHA-256 digests only), the gateway's
 * token last-use times, and sessions (written by the gateway, revoked by the session revoker).
 */
export class WorkspacesTokensSessions1764288000002 implements MigrationInterface {
  name = 'WorkspacesTokensSessions1764288000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE workspaces (
        id text PRIMARY KEY,
        created_at text NOT NULL,
        created_by text NOT NULL
      )`,
      `CREATE TABLE scim_tokens (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        prefix text NOT NULL,
        token_sha256 text NOT NULL,
        description text,
        created_at text NOT NULL,
        created_by text NOT NULL,
        revoked_at text,
        revoked_by text
      )`,
      `CREATE UNIQUE INDEX scim_tokens_sha256 ON scim_tokens (token_sha256)`,
      `CREATE INDEX scim_tokens_workspace ON scim_tokens (workspace_id, created_at)`,
      `CREATE TABLE scim_token_usage (
        token_id text PRIMARY KEY,
        last_used_at text NOT NULL
      )`,
      `CREATE TABLE admin_keys (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        prefix text NOT NULL,
        key_sha256 text NOT NULL,
        description text,
        created_at text NOT NULL,
        created_by text NOT NULL,
        revoked_at text
      )`,
      `CREATE UNIQUE INDEX admin_keys_sha256 ON admin_keys (key_sha256)`,
      `CREATE TABLE sessions (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        member_id text NOT NULL,
        token_sha256 text NOT NULL,
        prefix text NOT NULL,
        created_at text NOT NULL,
        revoked_at text,
        revoked_reason text
      )`,
      `CREATE UNIQUE INDEX sessions_sha256 ON sessions (token_sha256)`,
      `CREATE INDEX sessions_member ON sessions (member_id, revoked_at)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sessions', 'admin_keys', 'scim_token_usage', 'scim_tokens', 'workspaces']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
