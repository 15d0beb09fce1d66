import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStore, type Position } from '@axis/event-store';
import { type ConsumerDefinition, ConsumerHost, createLogger, waitForCheckpoint } from '@axis/platform';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';

/** An in-memory event store and read model with some consumers running over them. */
export class ProjectorHarness {
  private host: ConsumerHost | null = null;

  private constructor(
    readonly eventStore: EventStore,
    readonly readModel: DataSource,
  ) {}

  static async open(): Promise<ProjectorHarness> {
    return new ProjectorHarness(await createEventStore({ url: ':memory:', pollIntervalMs: 5 }), await openReadModel({ url: ':memory:' }));
  }

  async start(consumers: ConsumerDefinition[]): Promise<void> {
    this.host = new ConsumerHost(consumers, this.eventStore, this.readModel, createLogger('test', 'silent'));
    await this.host.onApplicationBootstrap();
  }

  async stop(): Promise<void> {
    await this.host?.beforeApplicationShutdown();
    this.host = null;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.eventStore.close();
    await this.readModel.destroy();
  }

  async append(stream: string, type: string, data: Record<string, unknown>, workspaceId = 'acme', actor = 'token:scim_AbCd1234'): Promise<Position> {
    const eventId = randomUUID();
    const result = await this.eventStore.appendToStream(stream, [
      {
        eventId,
        type,
        data,
        metadata: { eventId, workspaceId, actor, correlationId: eventId, causationId: eventId, occurredAt: new Date().toISOString(), dialect: 'rfc', schemaVersion: 1 },
      },
    ]);
    return result.position;
  }

  async caughtUp(consumer: string, position: Position): Promise<void> {
    if (!(await waitForCheckpoint(this.readModel, consumer, position, { timeoutMs: 5000 }))) throw new Error(`${consumer} did not reach ${position}`);
  }
}
