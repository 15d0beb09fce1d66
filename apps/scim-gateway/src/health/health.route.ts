import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { READ_MODEL, storesReady } from '@axis/platform';
import type { DataSource } from 'typeorm';

/** Liveness needs nothing; readiness needs both stores to answer (within 2 s). */
@Controller()
export class HealthRoute {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
  ) {}

  @Get('healthz')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(): Promise<{ status: string }> {
    try {
      await storesReady(this.eventStore, this.readModel, 2000);
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable' });
    }
    return { status: 'ready' };
  }
}
