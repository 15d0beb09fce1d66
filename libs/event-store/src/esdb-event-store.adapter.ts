import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Filter,
  type Position as EsdbPosition,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { assertValidAppend, assertValidMultiAppend, NO_STREAM_REVISION } from './append-rules';
import { isEmptyFilter, matchesFilter } from './event-filter';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type BatchHandler,
  type EventData,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port';
import { DEFAULT_SUBSCRIPTION_BATCH_SIZE } from './polling-subscription';
import { decodePositionFields, encodePositionFields } from './positions';

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://127.0.0.1:2113?tls=false`. Ignored when `client` is given. */
  connectionString?: string;
  client?: EventStoreDBClient;
}

const ESDB_STORE = 'EventStoreDB event store';
const DEFAULT_READ_ALL_COUNT = 500;
const READ_ALL_PAGE = 500;

/** `<commit padded to 20 digits>:<prepare padded to 20 digits>`: ESDB's own $all position. */
export function encodeEsdbPosition(position: EsdbPosition): Position {
  return encodePositionFields(position.commit, position.prepare);
}

export function decodeEsdbPosition(position: Position): EsdbPosition {
  const [commit, prepare] = decodePositionFields(position, 2, ESDB_STORE);
  return { commit: BigInt(commit), prepare: BigInt(prepare) };
}

type RecordedWithPosition = NonNullable<AllStreamResolvedEvent['event']>;

export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;

  constructor(options: EsdbEventStoreOptions) {
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else if (options.connectionString) {
      this.client = EventStoreDBClient.connectionString(options.connectionString);
      this.ownsClient = true;
    } else {
      throw new TypeError('EsdbEventStore needs a connectionString or a client');
    }
  }

  async appendToStream(
    streamName: string,
    events: EventData[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    const expected = options?.expectedRevision ?? 'any';
    assertValidAppend(streamName, events, expected);
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: event.metadata ?? {} }),
        ),
        { expectedRevision: toEsdbExpectedRevision(expected) },
      );
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // Servers before 22.6 do not return the position: read it back from the stream.
      const position = result.position ? encodeEsdbPosition(result.position) : await this.positionOfRevision(streamName, nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : NO_STREAM_REVISION;
        throw new WrongExpectedRevisionError(streamName, expected, actual);
      }
      throw error;
    }
  }

  /**
   * NOT atomic: @eventstore/db-client has no multi-stream append, so the streams are appended one
   * after the other, in the order given, and a refusal leaves the earlier ones written. Callers
   * that need all-or-nothing on this adapter must tolerate (or clean up) such leftovers.
   */
  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    assertValidMultiAppend(appends);
    const results: AppendResult[] = [];
    for (const append of appends) {
      results.push(await this.appendToStream(append.streamName, append.events, { expectedRevision: append.expectedRevision ?? 'any' }));
    }
    return results;
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const reading = this.client.readStream(streamName, {
        fromRevision: BigInt(options?.fromRevision ?? 0),
        direction: FORWARDS,
        ...(options?.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of reading) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** $all has no server-side filter for reads in client v6: pages are filtered here. */
  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const maxCount = options?.maxCount ?? DEFAULT_READ_ALL_COUNT;
    const after = options?.after ?? 'start';
    let from: ReadPosition = after === 'start' ? START : decodeEsdbPosition(after);
    // ESDB reads from a position include the event at it: the caller's `after` on the first page,
    // the previous page's last event (user or system, matching or not) on every later one.
    let seen: Position | null = after === 'start' ? null : after;
    const matches: RecordedEvent[] = [];
    for (;;) {
      let read = 0;
      let last: EsdbPosition | null = null;
      const page = this.client.readAll({ fromPosition: from, maxCount: READ_ALL_PAGE, direction: FORWARDS });
      for await (const resolved of page as AsyncIterable<AllStreamResolvedEvent>) {
        read += 1;
        const event: RecordedWithPosition | undefined = resolved.event;
        if (!event) continue;
        last = event.position;
        const position = encodeEsdbPosition(event.position);
        if (seen !== null && position <= seen) continue;
        seen = position;
        const recorded = toRecordedEvent(resolved);
        if (!recorded || !isUserEvent(recorded) || !matchesFilter(recorded, options?.filter)) continue;
        matches.push(recorded);
        if (matches.length === maxCount) return matches;
      }
      if (read < READ_ALL_PAGE || last === null) return matches;
      from = last;
    }
  }

  /** EventStoreDB cannot count without reading: pages through `readAll`. */
  async countAll(options?: Omit<ReadAllOptions, 'maxCount'>): Promise<number> {
    let count = 0;
    for (let after = options?.after ?? 'start'; ; ) {
      const page = await this.readAll({ after, maxCount: READ_ALL_PAGE, ...(options?.filter ? { filter: options.filter } : {}) });
      count += page.length;
      if (page.length < READ_ALL_PAGE) return count;
      after = page[page.length - 1]!.position;
    }
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    const batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE;
    const subscription = this.client.subscribeToAll({
      fromPosition: options.after === 'start' ? START : decodeEsdbPosition(options.after),
      filter: toEsdbFilter(options.filter),
    });
    let stopped = false;
    const run = async () => {
      let batch: RecordedEvent[] = [];
      for await (const resolved of subscription) {
        if (stopped) break;
        const event = toRecordedEvent(resolved);
        if (event && isUserEvent(event) && matchesFilter(event, options.filter)) batch.push(event);
        // Deliver what is buffered once the client has nothing more queued: batches without waiting.
        if (batch.length >= batchSize || (batch.length > 0 && subscription.readableLength === 0)) {
          const delivering = batch;
          batch = [];
          await handler(delivering);
        }
      }
    };
    const done = run().finally(() => subscription.unsubscribe().catch(() => undefined));
    done.catch(() => undefined);
    return {
      done,
      async stop() {
        stopped = true;
        await subscription.unsubscribe().catch(() => undefined);
        await done.catch(() => undefined);
      },
    };
  }

  async headPosition(): Promise<Position | null> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1000 })) {
      const event = toRecordedEvent(resolved);
      if (event && isUserEvent(event)) return event.position;
    }
    return null;
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.dispose();
  }

  private async positionOfRevision(streamName: string, revision: number): Promise<Position> {
    const [event] = await this.readStream(streamName, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`EventStoreDB did not return revision ${revision} of ${streamName}`);
    return event.position;
  }
}

function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

/** The server's pre-filter (one criterion at most); every delivered event is checked against the whole filter here. */
function toEsdbFilter(filter: EventFilter | undefined): Filter {
  if (isEmptyFilter(filter)) return excludeSystemEvents();
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: filter.streamPrefixes });
  if (filter?.eventTypes?.length) return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  return streamNameFilter({ regex: `^(?!(?:${(filter?.excludeStreamPrefixes ?? []).map(escapeRegex).join('|')}))` });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isUserEvent(event: RecordedEvent): boolean {
  return !event.type.startsWith('$') && !event.streamName.startsWith('$');
}

function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const event = resolved.event as RecordedWithPosition | undefined;
  if (!event || !event.isJson || !event.position) return null;
  return {
    eventId: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: Number(event.revision),
    position: encodeEsdbPosition(event.position),
    data: event.data as Record<string, unknown>,
    metadata: (event.metadata ?? {}) as Record<string, unknown>,
    recordedAt: event.created,
  };
}
