import { createEventStore, type EventStore } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { httpRequestsTotal } from './metrics';
import { type OpsServer, startOpsServer } from './ops-server';

const silent = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((level) => [level, () => undefined])) as never;

describe('metrics and health listener (projector, notifier)', () => {
  let store: EventStore;
  let readModel: DataSource;
  let server: OpsServer;
  let base: string;

  beforeAll(async () => {
    store = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    server = await startOpsServer({ port: 0, host: '127.0.0.1', eventStore: store, readModel, logger: silent, readyTimeoutMs: 200 });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await store.close();
    if (readModel.isInitialized) await readModel.destroy();
  });

  it('serves /metrics in the Prometheus text format, /healthz and /readyz', async () => {
    httpRequestsTotal.inc({ method: 'GET', route: '/scim/v2/Users', status: '200' });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('axis_http_requests_total{method="GET",route="/scim/v2/Users",status="200"} 1');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('turns unready when a store cannot be reached, live all the same', async () => {
    await readModel.destroy();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
