import type { EventStore, Position, RecordedEvent } from '@axis/event-store';
import { isOutboundEvent } from '../outbound-events';
import { toCloudEventRecord } from './cloud-event.mapper';
import type { EventPublisher } from './event-publisher.port';

/** One end of a range: a position (exclusive as `from`, inclusive as `to`) or an ISO time (on `recordedAt`, inclusive). */
export type RangeBound = { position: Position } | { time: number };

const POSITION = /^\d{20}(:\d{20})*$/;

export function parseRangeBound(value: string): RangeBound {
  if (POSITION.test(value)) return { position: value };
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`not a position or an ISO time: ${value}`);
  return { time };
}

/** The clock the pacing follows (real time in production, a virtual one in tests). */
export interface Pacing {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacing: Pacing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RepublishRangeOptions {
  eventStore: EventStore;
  publisher: EventPublisher;
  from: RangeBound;
  /** Default: the head when the republish starts. Never beyond it, so live traffic cannot prolong the slice. */
  to?: RangeBound;
  ratePerSecond: number;
  pacing?: Pacing;
  onProgress?: (sent: number) => void;
}

export interface RepublishResult {
  events: number;
  lastPosition: Position | null;
}

/** Store events read per page, whatever the rate. */
const READ_PAGE = 1000;
const MAX_BATCH = 500;

/** Records per publish at `ratePerSecond`: a quarter of a second's worth (1 to 500). */
export function republishBatchSize(ratePerSecond: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(ratePerSecond / 4)));
}

/**
 * Sends the outbound events of a slice of history again, in store order, as the same CloudEvents
 * records the kafka reactor sends (same key, headers and value: consumers recognise repeats by
 * `ce_id`). Pacing: a batch is published only once the events already sent fit in the time elapsed
 * (`sent ≤ rate × elapsed`), so in its first t seconds the topic receives at most rate × t events
 * plus one batch (a quarter of a second's worth). The kafka reactor's checkpoint is not touched.
 */
export async function republishRange(options: RepublishRangeOptions): Promise<RepublishResult> {
  const { eventStore, publisher, from, ratePerSecond } = options;
  if (!(ratePerSecond > 0)) throw new Error('the rate must be a positive number of events per second');
  const pacing = options.pacing ?? realPacing;
  const batchSize = republishBatchSize(ratePerSecond);
  const head = await eventStore.headPosition();
  const started = pacing.now();
  let sent = 0;
  let lastPosition: Position | null = null;
  let pending: RecordedEvent[] = [];

  const publish = async (batch: RecordedEvent[]) => {
    const wait = (sent / ratePerSecond) * 1000 - (pacing.now() - started);
    if (wait > 0) await pacing.sleep(wait);
    await publisher.publish(batch.map(toCloudEventRecord));
    sent += batch.length;
    lastPosition = batch[batch.length - 1]!.position;
    options.onProgress?.(sent);
  };
  const beyond = (event: RecordedEvent) => {
    const to = options.to;
    if (head === null || event.position > head) return true;
    if (!to) return false;
    return 'position' in to ? event.position > to.position : event.recordedAt.getTime() > to.time;
  };

  let after: Position | 'start' = 'position' in from ? from.position : 'start';
  for (let done = head === null; !done; ) {
    const page = await eventStore.readAll({ after, maxCount: READ_PAGE });
    if (page.length === 0) break;
    after = page[page.length - 1]!.position;
    for (const event of page) {
      if (beyond(event)) {
        done = true;
        break;
      }
      if ('time' in from && event.recordedAt.getTime() < from.time) continue;
      if (isOutboundEvent(event)) pending.push(event);
    }
    while (pending.length >= batchSize) {
      await publish(pending.slice(0, batchSize));
      pending = pending.slice(batchSize);
    }
  }
  if (pending.length > 0) await publish(pending);
  return { events: sent, lastPosition };
}
