/**
 * Issue 9, operations: /metrics, /healthz and /readyz on every process (the gateway on PORT, the
 * projector and the notifier on METRICS_PORT), and a poison event that stops one consumer (not
 * the others), visible in `axis projections status` and the metrics, skipped by the operator and
 * recorded in the audit log. Three processes on PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@axis/event-store';
import { type Deployment, scimClient, startDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { freePort, type RunningApp, startApp, stopApp, waitFor } from '../support/processes';
import { readModelRows, runCli } from '../support/workspace-admin';

describe('operations on three processes (PostgreSQL)', () => {
  let deployment: Deployment;
  let store: EventStore;
  let extra: RunningApp[] = [];
  let projectorMetrics: string;
  let notifierMetrics: string;

  beforeAll(async () => {
    // Fast poison detection and state polling, so the test does not wait for the production backoff.
    deployment = await startDeployment('postgres', { CONSUMER_POISON_AFTER_FAILURES: '1', CONSUMER_STATE_POLL_MS: '100' });
    store = await deployment.openEventStore();
    // A second projector and notifier, with metrics listeners (two instances share checkpoints by CAS).
    const [projectorPort, notifierPort] = [await freePort(), await freePort()];
    extra = [
      startApp('projector', { ...deployment.env, METRICS_PORT: String(projectorPort) }),
      startApp('notifier', { ...deployment.env, METRICS_PORT: String(notifierPort) }),
    ];
    projectorMetrics = `http://127.0.0.1:${projectorPort}`;
    notifierMetrics = `http://127.0.0.1:${notifierPort}`;
    for (const base of [projectorMetrics, notifierMetrics]) {
      await waitFor(`${base}/readyz`, async () => (await fetch(`${base}/readyz`)).ok, 30_000);
    }
  });
  afterAll(async () => {
    await Promise.all(extra.map((app) => stopApp(app)));
    await store?.close();
    await deployment?.stop();
  });

  const user = (userName: string) => ({ schemas: [USER_SCHEMA_URI], userName, emails: [{ value: userName, primary: true }], active: true });
  const text = async (url: string) => (await fetch(url)).text();

  it('serves Prometheus metrics, health and readiness on every process', async () => {
    const scim = scimClient(deployment);
    const created = await scim.post('/Users', user('metrics@example.com'));
    expect(created.status).toBe(201);
    expect((await scim.get(`/Users/${created.body!['id']}`)).status).toBe(200);

    const gateway = await text(`${deployment.baseUrl}/metrics`);
    expect(gateway).toMatch(/axis_http_requests_total\{method="POST",route="\/scim\/v2\/Users",status="201"\} 1/);
    // Route patterns, never raw URLs: the user id is not a label value.
    expect(gateway).toMatch(/axis_http_requests_total\{method="GET",route="\/scim\/v2\/Users\/:id",status="200"\} 1/);
    expect(gateway).not.toContain(String(created.body!['id']));
    expect(gateway).toMatch(/axis_events_appended_total\{type="ACCOUNT_SCIM_USER_CREATED"\} 1/);
    expect(gateway).toContain('axis_http_request_duration_seconds_bucket');
    expect((await fetch(`${deployment.baseUrl}/readyz`)).status).toBe(200);

    for (const [base, consumers] of [
      [projectorMetrics, ['members', 'workspaces', 'session-revoker']],
      [notifierMetrics, ['audit', 'webhooks']],
    ] as const) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const body = await waitFor(
        `lag 0 at ${base}`,
        async () => {
          const metrics = await text(`${base}/metrics`);
          return consumers.every((name) => metrics.includes(`axis_consumer_lag_events{consumer="${name}"} 0`)) ? metrics : null;
        },
        20_000,
      );
      for (const name of consumers) {
        expect(body).toContain(`axis_consumer_state{consumer="${name}",state="running"} 1`);
        expect(body).toContain(`axis_consumer_lag_seconds{consumer="${name}"} 0`);
      }
      expect(body).toContain('axis_process_resident_memory_bytes');
    }
    // Gateway request logs: JSON with the request id and workspace, no user attributes.
    const lines = deployment.output().split('\n').filter((line) => line.includes('"route":"/scim/v2/Users"'));
    expect(lines.length === 0 || lines.every((line) => !line.includes('metrics@example.com'))).toBe(true);
  });

  it('stops only the consumer that cannot apply an event, shows it, and goes on once the operator skips it', async () => {
    const scim = scimClient(deployment);
    const first = await scim.post('/Users', user('poison-owner@example.com'));
    expect(first.status).toBe(201);
    const userId = String(first.body!['id']);
    // A second "created" for the same user id in another stream: the members projection cannot insert it.
    const poisonId = randomUUID();
    await store.appendToStream(`user-default.${randomUUID()}`, [
      {
        eventId: poisonId,
        type: 'ACCOUNT_SCIM_USER_CREATED',
        data: { userId, userName: 'dup@example.com', externalId: null, active: true, attributes: { userName: 'dup@example.com' } },
        metadata: { eventId: poisonId, workspaceId: 'default', actor: 'test', occurredAt: new Date().toISOString(), dialect: 'rfc' },
      },
    ]);
    const status = await waitFor(
      'members to fail',
      async () => {
        const result = runCli(deployment, ['projections', 'status', '--json']);
        const parsed = JSON.parse(result.stdout) as { consumers: Array<Record<string, unknown>> };
        const members = parsed.consumers.find((consumer) => consumer['name'] === 'members');
        return members?.['state'] === 'failed' ? parsed : null;
      },
      30_000,
      300,
    );
    const members = status.consumers.find((consumer) => consumer['name'] === 'members')!;
    expect(members).toMatchObject({ kind: 'projection', failedEventId: poisonId });
    expect(String(members['error'])).toMatch(/duplicate key|unique/i);
    // The others go on: the audit reactor records the poison event itself.
    const others = status.consumers.filter((consumer) => consumer['name'] !== 'members');
    expect(others.map((consumer) => consumer['state'])).toEqual(others.map(() => 'running'));
    await waitFor('the audit entry of the poison event', async () => (await readModelRows(deployment, 'audit_entries')).some((row) => row['id'] === poisonId));
    expect(await text(`${projectorMetrics}/metrics`)).toContain('axis_consumer_state{consumer="members",state="failed"} 1');
    const human = runCli(deployment, ['projections', 'status']);
    expect(human.stdout).toContain(`members FAILED on event ${poisonId}`);

    // A user created meanwhile is not projected while members is stopped …
    const later = await scim.post('/Users', user('after-poison@example.com'));
    expect(later.status).toBe(201);
    // … the operator skips the poison event, and the projection catches up.
    const skipped = runCli(deployment, ['projections', 'skip', 'members', '--event', poisonId]);
    expect(skipped.status).toBe(0);
    await waitFor(
      'members to catch up after the skip',
      async () => (await readModelRows(deployment, 'members')).some((row) => row['id'] === later.body!['id']),
      20_000,
    );
    expect((await readModelRows(deployment, 'members')).find((row) => row['id'] === userId)?.['user_name']).toBe('poison-owner@example.com');
    await waitFor('the skip in the audit log', async () =>
      (await readModelRows(deployment, 'audit_entries')).find((row) => row['code'] === 'OPERATOR_CONSUMER_SKIPPED' && row['workspace_id'] === 'system'),
    );
    const after = JSON.parse(runCli(deployment, ['projections', 'status', '--json']).stdout) as { consumers: Array<Record<string, unknown>> };
    expect(after.consumers.find((consumer) => consumer['name'] === 'members')).toMatchObject({ state: 'running', failedEventId: null });
  });
});
