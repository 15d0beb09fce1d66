import { Readable } from 'node:stream';
import {
  BACKWARDS,
  END,
  EVENT_TYPE,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type EventStoreDBClient,
  type Filter,
  type Position as EsdbPosition,
  type ReadPosition,
  type ReadRevision,
} from '@eventstore/db-client';

/**
 * A SCRIPTED STAND-IN for `@eventstore/db-client` 6.x — not a server and not the real client: an
 * in-memory `$all` that answers the calls `EsdbEventStore` makes, the way the client's
 * documentation says the server answers them, so the adapter's own logic (paging, filters,
 * expected revisions, resuming subscriptions) is unit-tested without EventStoreDB.
 *
 * Documented semantics it follows (docs.kurrent.io / developers.eventstore.com, "Reading events"
 * and "Catch-up subscriptions" of the Node.js client):
 * - `readAll({ fromPosition })` reads FORWARDS from that position **inclusive** (the event at the
 *   position is returned first); `maxCount` bounds the page; `$all` holds system events too.
 *   BACKWARDS is scripted from `END` only (the adapter reads nothing else backwards).
 * - `readStream(name, { fromRevision, maxCount })` reads from that revision inclusive; a stream that
 *   does not exist fails the iteration with `StreamNotFoundError`.
 * - `appendToStream(name, events, { expectedRevision })`: `any`, `no_stream`, `stream_exists` or the
 *   exact revision (bigint) of the last event; otherwise `WrongExpectedVersionError` with the
 *   stream's current revision (`no_stream` when absent). Appending ids the stream already holds at
 *   the place the expected revision points to is acknowledged without writing (idempotent append);
 *   a partial overlap is refused. Results carry `nextExpectedRevision` and the `position` of the
 *   last event (servers ≥ 22.6; `omitAppendPosition` scripts an older server).
 * - `subscribeToAll({ fromPosition, filter })` delivers events **after** the position (subscription
 *   positions are exclusive), history first, then live appends; `filter` is a
 *   `streamNameFilter`/`eventTypeFilter` (prefixes or regex); `unsubscribe()` ends it.
 *
 * Positions are log byte offsets: increasing, with gaps, commit = prepare for each event.
 */
export class ScriptedEsdbClient {
  /** Every `readAll` call, for specs that check how the adapter pages. */
  readonly readAllCalls: Array<{ fromPosition: ReadPosition | undefined; maxCount: number | undefined; direction: string }> = [];
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly subscriptions = new Set<ScriptedSubscription>();
  private nextOffset = 1_000n;

  constructor(private readonly options: { omitAppendPosition?: boolean } = {}) {}

  /** The adapter takes an `EventStoreDBClient`; this object answers the part of it the adapter calls. */
  asClient(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  /** What the server itself writes into `$all` (`$metadata`, statistics, …): callers must never see it. */
  writeSystemEvent(streamName = '$stats-127.0.0.1:2113', type = '$statsCollected'): void {
    this.write(streamName, [{ id: crypto.randomUUID(), type, data: {}, metadata: {} }]);
  }

  async appendToStream(
    streamName: string,
    events: ScriptedEventData[],
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<{ success: true; nextExpectedRevision: bigint; position?: EsdbPosition }> {
    const expected = options.expectedRevision ?? 'any';
    const stream = this.streams.get(streamName) ?? [];
    const current: bigint | 'no_stream' = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
    const replayed = this.replayedAppend(stream, events, expected);
    if (replayed) return this.result(replayed.at(-1)!);
    if (events.some((event) => stream.some((stored) => stored.id === event.id))) {
      throw wrongExpectedVersion(streamName, expected, current);
    }
    const fits =
      expected === 'any' ||
      (expected === 'no_stream' && current === 'no_stream') ||
      (expected === 'stream_exists' && current !== 'no_stream') ||
      (typeof expected === 'bigint' && current === expected);
    if (!fits) throw wrongExpectedVersion(streamName, expected, current);
    return this.result(this.write(streamName, events).at(-1)!);
  }

  readStream(
    streamName: string,
    options: { fromRevision?: ReadRevision; maxCount?: number | bigint; direction?: string } = {},
  ): Readable {
    const streams = this.streams;
    async function* reading(): AsyncGenerator<AllStreamResolvedEvent> {
      const stream = streams.get(streamName);
      if (!stream) throw new StreamNotFoundError(undefined, streamName);
      if (options.direction === BACKWARDS) throw new Error('ScriptedEsdbClient: readStream BACKWARDS is not scripted');
      const from = options.fromRevision === undefined || options.fromRevision === START ? 0 : Number(options.fromRevision);
      const to = options.maxCount === undefined ? stream.length : from + Number(options.maxCount);
      for (const stored of stream.slice(from, to)) yield resolved(stored);
    }
    return Readable.from(reading());
  }

  readAll(options: { fromPosition?: ReadPosition; maxCount?: number | bigint; direction?: string } = {}): Readable {
    const direction = options.direction ?? 'forwards';
    this.readAllCalls.push({ fromPosition: options.fromPosition, maxCount: options.maxCount === undefined ? undefined : Number(options.maxCount), direction });
    const max = options.maxCount === undefined ? Number.MAX_SAFE_INTEGER : Number(options.maxCount);
    let page: StoredEvent[];
    if (direction === BACKWARDS) {
      if (options.fromPosition !== undefined && options.fromPosition !== END) throw new Error('ScriptedEsdbClient: BACKWARDS is scripted from END only');
      page = [...this.log].reverse().slice(0, max);
    } else {
      const from = options.fromPosition;
      const start = from === undefined || from === START ? 0n : from === END ? this.nextOffset : from.commit;
      page = this.log.filter((stored) => stored.position.commit >= start).slice(0, max);
    }
    // A page is a snapshot taken when the read starts, as the server streams one.
    return Readable.from(page.map(resolved));
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter } = {}): ScriptedSubscription {
    const subscription = new ScriptedSubscription(options.filter, () => this.subscriptions.delete(subscription));
    const from = options.fromPosition;
    const history = from === END ? [] : this.log.filter((stored) => from === undefined || from === START || stored.position.commit > from.commit);
    for (const stored of history) subscription.offer(stored);
    this.subscriptions.add(subscription);
    return subscription;
  }

  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions) await subscription.unsubscribe();
  }

  /** The stored ids at the place `expected` points to, when the append repeats them all (idempotent append). */
  private replayedAppend(stream: StoredEvent[], events: ScriptedEventData[], expected: AppendExpectedRevision): StoredEvent[] | null {
    const ids = events.map((event) => event.id);
    const starts =
      expected === 'no_stream' ? [0] : typeof expected === 'bigint' ? [Number(expected) + 1] : stream.map((_, index) => index);
    for (const start of starts) {
      const slice = stream.slice(start, start + ids.length);
      if (slice.length === ids.length && slice.every((stored, index) => stored.id === ids[index])) return slice;
    }
    return null;
  }

  private write(streamName: string, events: ScriptedEventData[]): StoredEvent[] {
    const stream = this.streams.get(streamName) ?? [];
    this.streams.set(streamName, stream);
    const written = events.map((event) => {
      const offset = this.nextOffset;
      this.nextOffset += 128n + BigInt(JSON.stringify(event.data ?? null).length);
      const stored: StoredEvent = {
        streamId: streamName,
        id: event.id,
        revision: BigInt(stream.length),
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        created: new Date(),
        position: { commit: offset, prepare: offset },
      };
      stream.push(stored);
      this.log.push(stored);
      return stored;
    });
    for (const subscription of this.subscriptions) for (const stored of written) subscription.offer(stored);
    return written;
  }

  private result(last: StoredEvent) {
    return {
      success: true as const,
      nextExpectedRevision: last.revision,
      ...(this.options.omitAppendPosition ? {} : { position: last.position }),
    };
  }
}

/** What `jsonEvent()` builds and the adapter passes to `appendToStream`. */
interface ScriptedEventData {
  id: string;
  type: string;
  data: unknown;
  metadata?: unknown;
}

interface StoredEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  created: Date;
  position: EsdbPosition;
}

/** A catch-up subscription: an object-mode stream the adapter iterates, as the client's is. */
export class ScriptedSubscription extends Readable {
  private ended = false;

  constructor(
    private readonly serverFilter: Filter | undefined,
    private readonly onEnd: () => void,
  ) {
    super({ objectMode: true, read: () => undefined });
  }

  offer(stored: StoredEvent): void {
    if (!this.ended && passes(stored, this.serverFilter)) this.push(resolved(stored));
  }

  async unsubscribe(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    this.push(null);
  }
}

function passes(stored: StoredEvent, filter: Filter | undefined): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === EVENT_TYPE ? stored.type : stored.streamId;
  if ('prefixes' in filter) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(filter.regex).test(subject);
}

function resolved(stored: StoredEvent): AllStreamResolvedEvent {
  return {
    event: { ...stored, isJson: true } as AllStreamResolvedEvent['event'],
    commitPosition: stored.position.commit,
  };
}

function wrongExpectedVersion(streamName: string, expected: AppendExpectedRevision, current: bigint | 'no_stream'): WrongExpectedVersionError {
  return new WrongExpectedVersionError(undefined, { streamName, expected, current });
}
