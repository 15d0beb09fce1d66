import { checkpointTableSql } from '@axis/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Members, their emails, the audit log and consumer checkpoints (table owned by libs/event-store). */
export class InitialReadModel1764288000001 implements MigrationInterface {
  name = 'InitialReadModel1764288000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const json = postgres ? 'jsonb' : 'text';
    const bool = postgres ? 'boolean' : 'integer';
    const statements = [
      `CREATE TABLE members (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        user_name text NOT NULL,
        user_name_lc text NOT NULL,
        external_id text,
        display_name text,
        given_name text,
        family_name text,
        active ${bool} NOT NULL,
        source text NOT NULL,
        resource ${json} NOT NULL,
        revision integer NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL
      )`,
      `CREATE INDEX members_workspace_user_name ON members (workspace_id, user_name_lc)`,
      `CREATE INDEX members_workspace_external_id ON members (workspace_id, external_id)`,
      `CREATE INDEX members_workspace_created ON members (workspace_id, created_at, id)`,
      `CREATE TABLE member_emails (
        member_id text NOT NULL,
        ordinal integer NOT NULL,
        workspace_id text NOT NULL,
        value text NOT NULL,
        value_lc text NOT NULL,
        type text,
        "primary" ${bool} NOT NULL,
        PRIMARY KEY (member_id, ordinal)
      )`,
      `CREATE INDEX member_emails_workspace_value ON member_emails (workspace_id, value_lc)`,
      `CREATE TABLE audit_entries (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        code text NOT NULL,
        occurred_at text NOT NULL,
        actor text NOT NULL,
        target_id text,
        target_external_id text,
        target_user_name text,
        dialect text NOT NULL,
        request_id text,
        details ${json} NOT NULL,
        position text
      )`,
      `CREATE INDEX audit_entries_workspace_time ON audit_entries (workspace_id, occurred_at, id)`,
      checkpointTableSql(postgres ? 'postgres' : 'sqlite'),
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['projection_checkpoints', 'audit_entries', 'member_emails', 'members']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
