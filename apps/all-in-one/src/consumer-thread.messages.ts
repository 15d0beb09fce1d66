import type { ThreadMetrics } from '@axis/platform';

/** What the main thread asks the consumer thread. */
export type ToConsumerThread = { type: 'metrics'; requestId: number } | { type: 'stop' };

/** What the consumer thread answers. */
export type FromConsumerThread =
  | { type: 'ready' }
  | { type: 'metrics'; requestId: number; metrics: ThreadMetrics }
  | { type: 'stopped' };
