import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { ConsumerHost, LOGGER, READ_MODEL, type Logger } from '@axis/platform';
import type { DataSource } from 'typeorm';
import { membersProjection } from './members/members.projection';

export const PROJECTOR_CONSUMERS = Symbol('PROJECTOR_CONSUMERS');

/** Read-model projections (and, later, the session revoker as its own subscription). */
@Module({
  providers: [
    {
      provide: PROJECTOR_CONSUMERS,
      useFactory: (eventStore: EventStore, readModel: DataSource, logger: Logger) =>
        new ConsumerHost([membersProjection], eventStore, readModel, logger.child({ app: 'projector' })),
      inject: [EVENT_STORE, READ_MODEL, LOGGER],
    },
  ],
  exports: [PROJECTOR_CONSUMERS],
})
export class ProjectorModule {}
