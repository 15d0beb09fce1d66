import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operating the consumers (issue 9).
 * - `consumer_states`: one row per consumer (projection or reactor): `running`, `paused` (by an
 *   operator; the consumer polls it) or `failed` (a poison event: its id, position and error), the
 *   filter it subscribes with (so `projections status` can count its lag) and who changed it.
 * - `projection_rebuilds`: the blue/green replay of a projection under way (owner, shadow suffix,
 *   start), so the next replay can remove the shadow of one that was killed. The one-at-a-time lock
 *   itself is a database lock that dies with its holder (see replayProjection in libs/platform).
 */
export class ConsumerOperations1764288000005 implements MigrationInterface {
  name = 'ConsumerOperations1764288000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE consumer_states (
        consumer text PRIMARY KEY,
        kind text NOT NULL,
        state text NOT NULL,
        filter text,
        failed_event_id text,
        failed_position text,
        failed_error text,
        failed_at text,
        updated_at text NOT NULL,
        updated_by text
      )`,
      `CREATE TABLE projection_rebuilds (
        projection text PRIMARY KEY,
        owner text NOT NULL,
        shadow_suffix text NOT NULL,
        started_at text NOT NULL,
        heartbeat_at text NOT NULL
      )`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS projection_rebuilds');
    await queryRunner.query('DROP TABLE IF EXISTS consumer_states');
  }
}
