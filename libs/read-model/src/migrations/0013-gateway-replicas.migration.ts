import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What gateway replicas on one PostgreSQL read model share, so that N replicas behave as one:
 * - `scim_rate_buckets`: one token bucket per workspace, so the SCIM quota holds for the deployment
 *   rather than per process (`takeRateTokens`);
 * - `write_marks`: the position of each workspace's latest write per read-your-writes tracker, so a
 *   read through one replica waits for a write made through another (`recordWriteMark`).
 * The embedded SQLite deployment is one process and keeps both in memory: nothing to do there.
 */
export class GatewayReplicas1764288000013 implements MigrationInterface {
  name = 'GatewayReplicas1764288000013';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`
      CREATE TABLE scim_rate_buckets (
        workspace_id text PRIMARY KEY,
        tokens double precision NOT NULL,
        refilled_at timestamptz NOT NULL,
        last_granted integer NOT NULL
      )`);
    // Positions are opaque strings ordered bytewise (comparePositions): collation "C" orders them alike.
    await queryRunner.query(`
      CREATE TABLE write_marks (
        workspace_id text NOT NULL,
        tracker text NOT NULL,
        position text COLLATE "C" NOT NULL,
        PRIMARY KEY (workspace_id, tracker)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`DROP TABLE IF EXISTS write_marks`);
    await queryRunner.query(`DROP TABLE IF EXISTS scim_rate_buckets`);
  }
}
