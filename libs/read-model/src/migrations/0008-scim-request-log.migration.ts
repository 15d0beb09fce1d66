import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SCIM request log (issue 21): one row per SCIM request of a known workspace, written by the
 * gateway in batches and pruned after SCIM_REQUEST_LOG_RETENTION_DAYS. Bodies are text on both
 * dialects, not jsonb: a body cut at the size cap is no longer JSON. Every filter of the admin API
 * has an index led by the workspace and ending in time, so a page newest-first is an index walk;
 * `scim_request_log_at` serves the retention's batched deletes across workspaces.
 */
export class ScimRequestLog1764288000008 implements MigrationInterface {
  name = 'ScimRequestLog1764288000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bool = queryRunner.connection.options.type === 'postgres' ? 'boolean' : 'integer';
    const statements = [
      `CREATE TABLE scim_request_log (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        request_id text NOT NULL,
        at text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        query text,
        status integer NOT NULL,
        error_code text,
        dialect text,
        latency_ms integer NOT NULL,
        operation text NOT NULL,
        resource_id text,
        user_name_lc text,
        token_prefix text,
        request_body text,
        response_body text,
        truncated ${bool} NOT NULL
      )`,
      `CREATE INDEX scim_request_log_workspace_time ON scim_request_log (workspace_id, at, id)`,
      `CREATE INDEX scim_request_log_workspace_request ON scim_request_log (workspace_id, request_id)`,
      `CREATE INDEX scim_request_log_workspace_status ON scim_request_log (workspace_id, status, at)`,
      `CREATE INDEX scim_request_log_workspace_operation ON scim_request_log (workspace_id, operation, at)`,
      `CREATE INDEX scim_request_log_workspace_resource ON scim_request_log (workspace_id, resource_id, at)`,
      `CREATE INDEX scim_request_log_workspace_user_name ON scim_request_log (workspace_id, user_name_lc, at)`,
      `CREATE INDEX scim_request_log_at ON scim_request_log (at)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS scim_request_log');
  }
}
