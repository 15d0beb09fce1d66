import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook subscriptions (projected from `webhook-…` streams; the secret is stored in clear because
 * it is the HMAC key deliveries are signed with), the delivery queue with its attempt log, and
 * indexes for the audit-log search (by target, actor and code within a workspace, newest first).
 */
export class WebhooksAndAuditSearch1764288000003 implements MigrationInterface {
  name = 'WebhooksAndAuditSearch1764288000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const json = postgres ? 'jsonb' : 'text';
    const bool = postgres ? 'boolean' : 'integer';
    const statements = [
      `CREATE TABLE webhook_subscriptions (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        url text NOT NULL,
        event_types ${json} NOT NULL,
        secret text NOT NULL,
        enabled ${bool} NOT NULL,
        disabled_reason text,
        description text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        revision integer NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL
      )`,
      `CREATE INDEX webhook_subscriptions_workspace ON webhook_subscriptions (workspace_id, created_at, id)`,
      `CREATE TABLE webhook_deliveries (
        id text PRIMARY KEY,
        subscription_id text NOT NULL,
        workspace_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL,
        redelivery_base integer NOT NULL DEFAULT 0,
        redelivery_event_id text,
        next_attempt_at text NOT NULL,
        last_status_code integer,
        last_error text,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        delivered_at text,
        position text
      )`,
      `CREATE UNIQUE INDEX webhook_deliveries_subscription_event ON webhook_deliveries (subscription_id, event_id)`,
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)`,
      `CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, created_at, id)`,
      `CREATE TABLE webhook_delivery_attempts (
        delivery_id text NOT NULL,
        attempt integer NOT NULL,
        subscription_id text NOT NULL,
        attempted_at text NOT NULL,
        status_code integer,
        error text,
        duration_ms integer NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      )`,
      `CREATE INDEX audit_entries_workspace_target ON audit_entries (workspace_id, target_id, occurred_at)`,
      `CREATE INDEX audit_entries_workspace_actor ON audit_entries (workspace_id, actor, occurred_at)`,
      `CREATE INDEX audit_entries_workspace_code ON audit_entries (workspace_id, code, occurred_at)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['audit_entries_workspace_code', 'audit_entries_workspace_actor', 'audit_entries_workspace_target']) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
    for (const table of ['webhook_delivery_attempts', 'webhook_deliveries', 'webhook_subscriptions']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
