import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from 'prom-client';

/**
 * The one Prometheus registry of a process, and every metric the product exposes. Each process
 * (gateway, projector, notifier, all-in-one) serves it at `/metrics`; the all-in-one shares one
 * registry between its three parts, so every metric is defined here exactly once.
 *
 * Label cardinality stays bounded: routes are Fastify route patterns (never raw URLs), consumers
 * and event types are fixed sets, ids never become labels. The one workspace label is on
 * `axis_scim_rate_limited_total`: only workspaces that exceed their quota get a series there.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'axis_' });

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestsTotal = new Counter({
  name: 'axis_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'axis_http_request_duration_seconds',
  help: 'HTTP request latency, by method, route pattern and status class',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/**
 * SCIM requests answered 429, by workspace: the operator needs to know WHICH tenant hits its quota,
 * and only authenticated workspaces that exceed it get a series (see the header on cardinality).
 */
export const scimRateLimitedTotal = new Counter({
  name: 'axis_scim_rate_limited_total',
  help: 'SCIM requests refused with 429 because the workspace exceeded its rate limit, by workspace',
  labelNames: ['workspace'] as const,
  registers: [metricsRegistry],
});

export const eventsAppendedTotal = new Counter({
  name: 'axis_events_appended_total',
  help: 'Events appended by the write side (decide-and-append), by event type',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

export const consumerEventsProcessedTotal = new Counter({
  name: 'axis_consumer_events_processed_total',
  help: 'Events handled and checkpointed by a consumer (projection or reactor)',
  labelNames: ['consumer'] as const,
  registers: [metricsRegistry],
});

export const consumerBatchDuration = new Histogram({
  name: 'axis_consumer_batch_duration_seconds',
  help: 'Time to apply one batch and commit its checkpoint, by consumer',
  labelNames: ['consumer'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const consumerFailuresTotal = new Counter({
  name: 'axis_consumer_failures_total',
  help: 'Failed batches or subscriptions of a consumer (each retry counts)',
  labelNames: ['consumer'] as const,
  registers: [metricsRegistry],
});

/** 1 for the consumer's current state, 0 for the others. */
export const consumerState = new Gauge({
  name: 'axis_consumer_state',
  help: 'Consumer state: 1 on the current one of running, paused, failed',
  labelNames: ['consumer', 'state'] as const,
  registers: [metricsRegistry],
});

export const consumerLastProcessed = new Gauge({
  name: 'axis_consumer_last_commit_timestamp_seconds',
  help: 'Unix time of the last checkpoint this process committed for a consumer',
  labelNames: ['consumer'] as const,
  registers: [metricsRegistry],
});

export const writeMarksLostTotal = new Counter({
  name: 'axis_write_marks_lost_total',
  help: 'Writes whose position could not be shared with the other gateway replicas (write_marks): a read through another replica may not wait for them',
  registers: [metricsRegistry],
});

/**
 * 1 while this process holds its role's consumer lease (it applies the batches), 0 while it stands
 * by. Only processes that elect a holder (projector, notifier on PostgreSQL) have the series.
 */
export const consumerLeader = new Gauge({
  name: 'axis_consumer_leader',
  help: 'Whether this process holds the consumer lease of its role (1) or stands by (0)',
  labelNames: ['role'] as const,
  registers: [metricsRegistry],
});

export const readYourWritesTimeoutsTotal = new Counter({
  name: 'axis_read_your_writes_timeouts_total',
  help: 'Gateway reads answered from a projection that had not applied the workspace\'s latest write within the wait bound (a stale read), by projection',
  labelNames: ['projection'] as const,
  registers: [metricsRegistry],
});

export const scimRequestLogDroppedTotal = new Counter({
  name: 'axis_scim_request_log_dropped_total',
  help: 'SCIM requests left out of the request log because its in-memory queue was full or a batch could not be written',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const scimRequestLogWrittenTotal = new Counter({
  name: 'axis_scim_request_log_written_total',
  help: 'SCIM requests written to the request log',
  registers: [metricsRegistry],
});

export const kafkaPublishDuration = new Histogram({
  name: 'axis_kafka_publish_duration_seconds',
  help: 'Time for the broker to acknowledge one published batch, by outcome',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const kafkaMessagesPublishedTotal = new Counter({
  name: 'axis_kafka_messages_published_total',
  help: 'Messages acknowledged by the Kafka broker',
  registers: [metricsRegistry],
});

export const webhookDeliveriesTotal = new Counter({
  name: 'axis_webhook_delivery_attempts_total',
  help: 'Webhook delivery attempts by outcome: delivered, retry, dead (dead-lettered), gone (410, endpoint disabled)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const webhookDeliveryDuration = new Histogram({
  name: 'axis_webhook_delivery_duration_seconds',
  help: 'Webhook attempt latency (connect + response), by outcome',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const CONSUMER_STATES = ['running', 'paused', 'failed'] as const;
export type ConsumerStateName = (typeof CONSUMER_STATES)[number];

export function setConsumerStateMetric(consumer: string, state: ConsumerStateName): void {
  for (const candidate of CONSUMER_STATES) consumerState.set({ consumer, state: candidate }, candidate === state ? 1 : 0);
}

/** One thread's metrics as prom-client's JSON, which another thread can merge with its own. */
export type ThreadMetrics = MetricObjectWithValues<MetricValue<string>>[];
/** The metrics of another thread of this process, as `productMetricsOfThisThread` returns them there. */
export type ThreadMetricsSource = () => Promise<ThreadMetrics>;
const threadSources = new Set<ThreadMetricsSource>();
/** Names of the default (process and Node.js runtime) metrics, given the registry's prefix. */
const DEFAULT_METRIC_PREFIXES = ['axis_process_', 'axis_nodejs_'];

/** Adds another thread's metrics (the all-in-one's consumer thread) to this process's `/metrics`. */
export function registerThreadMetrics(source: ThreadMetricsSource): () => void {
  threadSources.add(source);
  return () => threadSources.delete(source);
}

/**
 * This thread's product metrics, for the thread that serves `/metrics`. The default metrics are left
 * out: the process ones (memory, CPU, file descriptors) are the serving thread's to report once.
 */
export async function productMetricsOfThisThread(): Promise<ThreadMetrics> {
  const all = await metricsRegistry.getMetricsAsJSON();
  return all.filter((metric) => !DEFAULT_METRIC_PREFIXES.some((prefix) => metric.name.startsWith(prefix)));
}

/** Metric text for a `/metrics` response, and its content type: this thread's and its registered threads'. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  if (threadSources.size === 0) return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
  const parts = await Promise.all([metricsRegistry.getMetricsAsJSON(), ...[...threadSources].map((source) => source())]);
  // Summed by label set: each consumer's and each route's series comes from one thread only.
  const merged = AggregatorRegistry.aggregate(parts);
  return { contentType: merged.contentType, body: await merged.metrics() };
}

/** Seconds elapsed since `startNs` (a `process.hrtime.bigint()` value). */
export function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/** What a process reports about each of its consumers when scraped. */
export interface ConsumerLagSample {
  consumer: string;
  events: number;
  seconds: number;
}

const lagSources = new Set<() => Promise<ConsumerLagSample[]>>();
let lagSampling: { at: number; samples: Promise<ConsumerLagSample[]> } | null = null;

/** Called at scrape time (at most once a second, shared by both lag gauges). */
export function registerLagSource(source: () => Promise<ConsumerLagSample[]>): () => void {
  lagSources.add(source);
  return () => lagSources.delete(source);
}

function sampleLag(): Promise<ConsumerLagSample[]> {
  if (lagSampling && Date.now() - lagSampling.at < 1000) return lagSampling.samples;
  const samples = Promise.all([...lagSources].map((source) => source().catch(() => [] as ConsumerLagSample[]))).then((all) => all.flat());
  lagSampling = { at: Date.now(), samples };
  return samples;
}

export const consumerLagEvents = new Gauge({
  name: 'axis_consumer_lag_events',
  help: 'Events after the consumer checkpoint that its filter matches; counted exactly up to 10000 by a bounded read at scrape time',
  labelNames: ['consumer'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const sample of await sampleLag()) this.set({ consumer: sample.consumer }, sample.events);
  },
});

export const consumerLagSeconds = new Gauge({
  name: 'axis_consumer_lag_seconds',
  help: 'Age of the oldest event the consumer has not handled yet (0 when caught up)',
  labelNames: ['consumer'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const sample of await sampleLag()) this.set({ consumer: sample.consumer }, sample.seconds);
  },
});
