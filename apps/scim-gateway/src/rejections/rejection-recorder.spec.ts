import { HttpConfig, loadConfig } from '@axis/config';
import type { ScimRejection } from '@axis/domain';
import { createEventStore, type EventStore } from '@axis/event-store';
import { createLogger } from '@axis/platform';
import { openReadModel, WorkspaceRecord } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { RejectionRecorder } from './rejection-recorder';

function unauthorized(workspaceId: string): ScimRejection {
  return {
    type: 'SCIM_UNAUTHORIZED',
    data: { workspaceId, reason: 'unknown-token', method: 'GET', path: '/scim/v2/Users', tokenPrefix: null, sourceIp: '192.0.2.1', suppressed: 0 },
  };
}

describe('RejectionRecorder', () => {
  let eventStore: EventStore;
  let readModel: DataSource;
  let recorder: RejectionRecorder;
  const context = { actor: 'anonymous', requestId: 'req-1', dialect: 'rfc' as const };

  beforeEach(async () => {
    eventStore = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    await readModel.manager.insert(WorkspaceRecord, { id: 'acme', createdAt: new Date().toISOString(), createdBy: 'operator' });
    recorder = new RejectionRecorder(eventStore, readModel, loadConfig(HttpConfig, {}), createLogger('test', 'silent'));
  });

  afterEach(async () => {
    await eventStore.close();
    await readModel.destroy();
  });

  it("records a refusal in the workspace's rejection stream, once per window", async () => {
    for (let i = 0; i < 50; i++) await recorder.recordNow(unauthorized('acme'), context);
    const events = await eventStore.readStream('rejection-acme.log');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'SCIM_UNAUTHORIZED',
      data: { workspaceId: 'acme', reason: 'unknown-token', suppressed: 0 },
      metadata: { workspaceId: 'acme', actor: 'anonymous', requestId: 'req-1' },
    });
  });

  it('records the default workspace even before it has been created', async () => {
    expect(await recorder.recordNow(unauthorized('default'), context)).toBe(true);
    expect(await eventStore.readStream('rejection-default.log')).toHaveLength(1);
  });

  it('records nothing for a workspace that does not exist, so made-up names cannot fill the store', async () => {
    for (const name of ['nope', 'made-up-1', 'made-up-2']) expect(await recorder.recordNow(unauthorized(name), context)).toBe(false);
    expect(await eventStore.readAll()).toEqual([]);
  });
});
