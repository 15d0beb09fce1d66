import { WrongExpectedRevisionError, type EventData, type ExpectedRevision, type StreamAppend } from './event-store.port';

/** Revision of a stream that has no event yet. */
export const NO_STREAM_REVISION = -1;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects appends no adapter can store the same way, so that every adapter fails alike. */
export function assertValidAppend(streamName: string, events: EventData[], expectedRevision: ExpectedRevision): void {
  if (typeof streamName !== 'string' || streamName.length === 0) throw new TypeError('streamName must be a non-empty string');
  if (streamName.startsWith('$')) throw new TypeError(`stream names starting with "$" are reserved: ${streamName}`);
  if (!Array.isArray(events) || events.length === 0) throw new RangeError('appendToStream needs at least one event');
  if (typeof expectedRevision === 'number' && (!Number.isSafeInteger(expectedRevision) || expectedRevision < 0)) {
    throw new RangeError(`expected revision must be a non-negative integer, 'any', 'no_stream' or 'stream_exists': ${expectedRevision}`);
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.eventId)) throw new TypeError(`eventId must be a UUID: ${event.eventId}`);
    const id = event.eventId.toLowerCase();
    if (seen.has(id)) throw new TypeError(`eventId appears twice in one append: ${event.eventId}`);
    seen.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError('event type must be a non-empty string');
    if (event.data === null || typeof event.data !== 'object') throw new TypeError('event data must be a JSON object');
  }
}

/** assertValidAppend for each part of a multi-stream append, whose streams must be distinct. */
export function assertValidMultiAppend(appends: StreamAppend[]): void {
  if (!Array.isArray(appends) || appends.length === 0) throw new RangeError('appendToStreams needs at least one stream');
  const streams = new Set<string>();
  for (const append of appends) {
    assertValidAppend(append.streamName, append.events, append.expectedRevision ?? 'any');
    if (streams.has(append.streamName)) throw new TypeError(`stream appears twice in one append: ${append.streamName}`);
    streams.add(append.streamName);
  }
}

export function satisfiesExpectedRevision(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === NO_STREAM_REVISION;
    case 'stream_exists':
      return actual !== NO_STREAM_REVISION;
    default:
      return actual === expected;
  }
}

/** An event of the append that the stream already holds. */
export interface StoredDuplicate {
  eventId: string;
  revision: number;
}

export type AppendDecision =
  | { kind: 'write' }
  | { kind: 'already-stored'; lastRevision: number }
  | { kind: 'reject'; error: WrongExpectedRevisionError };

/**
 * The idempotency rule (the one EventStoreDB documents): an append whose events are ALL already in the
 * stream, stored contiguously in the same order at the place the expected revision points to, is a
 * successful no-op answered with the stored revision and position. Any other overlap (some of the ids
 * stored, or stored elsewhere) writes nothing and fails with WrongExpectedRevisionError; with none of
 * the ids stored the expected revision is checked as usual.
 */
export function decideAppend(
  streamName: string,
  eventIds: string[],
  expected: ExpectedRevision,
  actual: number,
  duplicates: StoredDuplicate[],
): AppendDecision {
  const reject = (): AppendDecision => ({ kind: 'reject', error: new WrongExpectedRevisionError(streamName, expected, actual) });
  if (duplicates.length === 0) return satisfiesExpectedRevision(expected, actual) ? { kind: 'write' } : reject();
  if (duplicates.length !== eventIds.length) return reject();
  const revisionById = new Map(duplicates.map((d) => [d.eventId.toLowerCase(), d.revision]));
  const first = revisionById.get(eventIds[0].toLowerCase())!;
  const contiguous = eventIds.every((id, index) => revisionById.get(id.toLowerCase()) === first + index);
  const atExpectedPlace =
    expected === 'any' || expected === 'stream_exists' ? true : expected === 'no_stream' ? first === 0 : first === expected + 1;
  return contiguous && atExpectedPlace ? { kind: 'already-stored', lastRevision: first + eventIds.length - 1 } : reject();
}
