import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** What the main thread asks the consumer thread. */
export type ToConsumerThread = { type: 'metrics'; requestId: number } | { type: 'stop' };

/** What the consumer thread answers. */
export type FromConsumerThread =
  | { type: 'ready' }
  | { type: 'metrics'; requestId: number; metrics: MetricObjectWithValues<MetricValue<string>>[] }
  | { type: 'stopped' };
