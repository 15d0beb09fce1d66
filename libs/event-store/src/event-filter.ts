import type { EventFilter } from './event-store.port';

export function isEmptyFilter(filter: EventFilter | undefined): boolean {
  return (
    !filter ||
    ((filter.streamPrefixes?.length ?? 0) === 0 && (filter.eventTypes?.length ?? 0) === 0 && (filter.excludeStreamPrefixes?.length ?? 0) === 0)
  );
}

export function matchesFilter(event: { streamName: string; type: string }, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  return streamMatches(event.streamName, filter) && ((filter.eventTypes?.length ?? 0) === 0 || filter.eventTypes!.includes(event.type));
}

/** Whether a stream's events can pass the filter's stream prefixes and exclusions. */
export function streamMatches(streamName: string, filter: EventFilter): boolean {
  const prefixes = filter.streamPrefixes ?? [];
  const excluded = filter.excludeStreamPrefixes ?? [];
  return (
    (prefixes.length === 0 || prefixes.some((prefix) => streamName.startsWith(prefix))) &&
    !excluded.some((prefix) => streamName.startsWith(prefix))
  );
}
