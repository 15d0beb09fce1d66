import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which process applies a consumer's batches (issue #24): when two projectors or two notifiers run
 * on PostgreSQL, the one holding its role's lease writes its identity (`host:pid`) and since when
 * into the rows of its consumers, for `projections status`. The lease itself is a database lock
 * that dies with its holder (see LeaseLoop in libs/platform); these columns only name it. Null
 * where no lease is taken (the embedded SQLite process) or after its holder stopped cleanly.
 */
export class ConsumerHolders1764288000014 implements MigrationInterface {
  name = 'ConsumerHolders1764288000014';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE consumer_states ADD COLUMN held_by text');
    await queryRunner.query('ALTER TABLE consumer_states ADD COLUMN held_since text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE consumer_states DROP COLUMN held_since');
    await queryRunner.query('ALTER TABLE consumer_states DROP COLUMN held_by');
  }
}
