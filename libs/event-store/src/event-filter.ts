import type { EventFilter } from './event-store.port';

export function isEmptyFilter(filter: EventFilter | undefined): boolean {
  return !filter || ((filter.streamPrefixes?.length ?? 0) === 0 && (filter.eventTypes?.length ?? 0) === 0);
}

export function matchesFilter(event: { streamName: string; type: string }, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  const prefixes = filter.streamPrefixes ?? [];
  const types = filter.eventTypes ?? [];
  return (
    (prefixes.length === 0 || prefixes.some((prefix) => event.streamName.startsWith(prefix))) &&
    (types.length === 0 || types.includes(event.type))
  );
}
