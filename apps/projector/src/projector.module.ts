import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import type { StorageConfig } from '@axis/config';
import { APP_CONFIG, ConsumerHost, LOGGER, READ_MODEL, type Logger } from '@axis/platform';
import type { DataSource } from 'typeorm';
import { groupMembershipReactor } from './groups/group-membership.reactor';
import { groupsProjection } from './groups/groups.projection';
import { membersProjection } from './members/members.projection';
import { sessionRevoker } from './sessions/session-revoker.reactor';
import { PlannerStatisticsService } from './statistics/planner-statistics.service';
import { workspacesProjection } from './workspaces/workspaces.projection';

export const PROJECTOR_CONSUMERS = Symbol('PROJECTOR_CONSUMERS');

/** Read-model projections, the session revoker as a subscription of its own, and the tables' planner statistics. */
@Module({
  providers: [
    {
      provide: PROJECTOR_CONSUMERS,
      useFactory: (eventStore: EventStore, readModel: DataSource, logger: Logger, config: StorageConfig) =>
        new ConsumerHost(
          [
            membersProjection,
            workspacesProjection,
            sessionRevoker,
            groupsProjection,
            groupMembershipReactor(eventStore),
          ],
          eventStore,
          readModel,
          logger.child({ app: 'projector' }),
          { role: 'projector', statePollMs: config.CONSUMER_STATE_POLL_MS, poisonAfterFailures: config.CONSUMER_POISON_AFTER_FAILURES },
        ),
      inject: [EVENT_STORE, READ_MODEL, LOGGER, APP_CONFIG],
    },
    {
      provide: PlannerStatisticsService,
      useFactory: (readModel: DataSource, logger: Logger) => new PlannerStatisticsService(readModel, logger.child({ app: 'projector' })),
      inject: [READ_MODEL, LOGGER],
    },
  ],
  exports: [PROJECTOR_CONSUMERS],
})
export class ProjectorModule {}
