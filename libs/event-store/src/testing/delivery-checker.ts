import type { RecordedEvent } from '../event-store.port';

/** An event whose append was acknowledged, with the revision the store gave it. */
export interface CommittedEvent {
  eventId: string;
  streamName: string;
  revision: number;
}

export interface DeliveryReport {
  missing: CommittedEvent[];
  duplicated: string[];
  unexpected: string[];
  /** Streams whose events arrived out of revision order, or with a revision hole. */
  streamsOutOfOrder: string[];
  /** Indexes where a delivered position was not greater than the one before. */
  positionsNotIncreasing: number[];
}

/**
 * What a subscriber must see: every committed event exactly once, nothing else, positions strictly
 * increasing and, per stream, revisions 0, 1, 2… in delivery order.
 */
export function checkDelivery(committed: CommittedEvent[], delivered: RecordedEvent[]): DeliveryReport {
  const committedById = new Map(committed.map((event) => [event.eventId, event]));
  const seen = new Set<string>();
  const duplicated: string[] = [];
  const unexpected: string[] = [];
  const nextRevision = new Map<string, number>();
  const streamsOutOfOrder = new Set<string>();
  const positionsNotIncreasing: number[] = [];
  delivered.forEach((event, index) => {
    if (seen.has(event.eventId)) duplicated.push(event.eventId);
    seen.add(event.eventId);
    const expected = committedById.get(event.eventId);
    if (!expected || expected.revision !== event.revision || expected.streamName !== event.streamName) unexpected.push(event.eventId);
    if ((nextRevision.get(event.streamName) ?? 0) !== event.revision) streamsOutOfOrder.add(event.streamName);
    nextRevision.set(event.streamName, event.revision + 1);
    if (index > 0 && !(event.position > delivered[index - 1].position)) positionsNotIncreasing.push(index);
  });
  return {
    missing: committed.filter((event) => !seen.has(event.eventId)),
    duplicated,
    unexpected,
    streamsOutOfOrder: [...streamsOutOfOrder],
    positionsNotIncreasing,
  };
}

export function isCleanDelivery(report: DeliveryReport): boolean {
  return (
    report.missing.length === 0 &&
    report.duplicated.length === 0 &&
    report.unexpected.length === 0 &&
    report.streamsOutOfOrder.length === 0 &&
    report.positionsNotIncreasing.length === 0
  );
}
