import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@axis/platform';
import { PlannerStatisticsKeeper } from '@axis/read-model';
import type { DataSource } from 'typeorm';

/**
 * While the projector fills the read model, keeps PostgreSQL's statistics of its fast-growing
 * tables fresh (`PlannerStatisticsKeeper`), so the projections' and the gateway's prepared lookups
 * stop scanning whole tables once those outgrow the plans made while they were small.
 */
export class PlannerStatisticsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly keeper: PlannerStatisticsKeeper;

  constructor(readModel: DataSource, logger: Logger) {
    this.keeper = new PlannerStatisticsKeeper(readModel, {
      onAnalyzed: (tables) => logger.debug({ tables }, 'read-model tables analysed'),
      onError: (error) => logger.warn({ err: error }, 'could not analyse the read-model tables; retrying every few seconds, quietly until it works again'),
    });
  }

  onApplicationBootstrap(): void {
    this.keeper.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.keeper.stop();
  }
}
