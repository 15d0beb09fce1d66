import type { EventFilter, EventStore, Position } from '@axis/event-store';

/** Lag in events is COUNTED (not estimated), up to this bound; beyond it `capped` is true. */
export const LAG_COUNT_BOUND = 10_000;

export interface ConsumerLag {
  /** Events after the checkpoint that the consumer's filter matches, counted up to the bound. */
  events: number;
  /** True when there are at least `bound` such events (the count stopped there). */
  capped: boolean;
  /** Age of the oldest event the consumer has not handled yet (0 when caught up). */
  seconds: number;
}

/**
 * How far a consumer is behind: one bounded `readAll` after its checkpoint with its own filter
 * (positions are opaque, so they are never subtracted). Counting is exact below the bound.
 */
export async function measureConsumerLag(
  eventStore: EventStore,
  checkpoint: Position | null,
  filter: EventFilter | undefined,
  bound = LAG_COUNT_BOUND,
): Promise<ConsumerLag> {
  const pending = await eventStore.readAll({ after: checkpoint ?? 'start', maxCount: bound, ...(filter ? { filter } : {}) });
  const oldest = pending[0];
  return {
    events: pending.length,
    capped: pending.length >= bound,
    seconds: oldest ? Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000) : 0,
  };
}
