import { consumerEventsProcessedTotal, eventsAppendedTotal, productMetricsOfThisThread, registerThreadMetrics, renderMetrics } from './metrics';

describe('metrics of several threads (the all-in-one consumer thread)', () => {
  afterEach(() => {
    eventsAppendedTotal.reset();
    consumerEventsProcessedTotal.reset();
  });

  it("gives another thread only this thread's product metrics, never the process ones", async () => {
    consumerEventsProcessedTotal.inc({ consumer: 'members' }, 3);
    const names = (await productMetricsOfThisThread()).map((metric) => metric.name);
    expect(names).toContain('axis_consumer_events_processed_total');
    expect(names.some((name) => name.startsWith('axis_process_') || name.startsWith('axis_nodejs_'))).toBe(false);
    expect(names).not.toContain('axis_process_resident_memory_bytes');
  });

  it("renders the registered threads' series beside this thread's, summing a series both report", async () => {
    consumerEventsProcessedTotal.inc({ consumer: 'members' }, 3);
    eventsAppendedTotal.inc({ type: 'ACCOUNT_SCIM_USER_CREATED' }, 2);
    const otherThread = await productMetricsOfThisThread();
    consumerEventsProcessedTotal.reset();
    consumerEventsProcessedTotal.inc({ consumer: 'webhooks' }, 5);

    const unregister = registerThreadMetrics(async () => otherThread);
    const { body, contentType } = await renderMetrics().finally(unregister);
    expect(contentType).toContain('text/plain');
    expect(body).toContain('axis_consumer_events_processed_total{consumer="members"} 3');
    expect(body).toContain('axis_consumer_events_processed_total{consumer="webhooks"} 5');
    expect(body).toContain('axis_events_appended_total{type="ACCOUNT_SCIM_USER_CREATED"} 4');
    expect(body.match(/^# TYPE axis_consumer_events_processed_total /gm)).toHaveLength(1);
    expect(body.match(/^axis_process_resident_memory_bytes /gm)).toHaveLength(1);

    expect((await renderMetrics()).body).not.toContain('consumer="members"');
  });
});
