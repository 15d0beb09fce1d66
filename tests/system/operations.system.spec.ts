/**
 * Issue 9, operations: /metrics, /healthz and /readyz on every process (the gateway on PORT, the
 * projector and the notifier on METRICS_PORT), and a poison event that stops one consumer (not
 * the others), visible in `axis projections status` and the metrics, skipped by the operator and
 * recorded in the audit log. Gateway, two projectors and two notifiers on PostgreSQL (one of each
 * holds its lease and runs the consumers; the standbys answer ready).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@axis/event-store';
import { type ConsumerRole, scimClient, startThreeProcesses, type ThreeProcessDeployment, USER_SCHEMA_URI } from '../support/deployments';
import { waitFor } from '../support/processes';
import { readModelRows, runCli } from '../support/workspace-admin';

const text = async (url: string) => (await fetch(url)).text();

describe('operations on three processes (PostgreSQL)', () => {
  let deployment: ThreeProcessDeployment;
  let store: EventStore;
  /** Ops listeners of the lease holders (they run the consumers) and of the standbys, per role. */
  let projectorMetrics: string;
  let notifierMetrics: string;
  let standbys: Array<[ConsumerRole, string]>;

  beforeAll(async () => {
    // Fast poison detection and state polling, so the test does not wait for the production backoff.
    // Two projectors and two notifiers: one of each holds its role's lease, the other stands by.
    deployment = await startThreeProcesses({ CONSUMER_POISON_AFTER_FAILURES: '1', CONSUMER_STATE_POLL_MS: '100' }, { projectors: 2, notifiers: 2 });
    store = await deployment.openEventStore();
    const holderOf = async (role: ConsumerRole) =>
      waitFor(`a ${role} holding the lease`, async () => {
        const leading = await Promise.all(
          deployment.consumerProcesses(role).map(async ({ opsUrl }) => ((await text(`${opsUrl}/metrics`)).includes(`axis_consumer_leader{role="${role}"} 1`) ? opsUrl : null)),
        );
        const holders = leading.filter((url): url is string => url !== null);
        return holders.length === 1 ? holders[0] : null;
      });
    projectorMetrics = await holderOf('projector');
    notifierMetrics = await holderOf('notifier');
    standbys = (['projector', 'notifier'] as const).flatMap((role) =>
      deployment
        .consumerProcesses(role)
        .filter(({ opsUrl }) => opsUrl !== projectorMetrics && opsUrl !== notifierMetrics)
        .map(({ opsUrl }) => [role, opsUrl] as [ConsumerRole, string]),
    );
  });
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
  });

  const user = (userName: string) => ({ schemas: [USER_SCHEMA_URI], userName, emails: [{ value: userName, primary: true }], active: true });

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
    // A standby is healthy and ready (to take over), and says it stands by.
    expect(standbys).toHaveLength(2);
    for (const [role, base] of standbys) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(await text(`${base}/metrics`)).toContain(`axis_consumer_leader{role="${role}"} 0`);
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
