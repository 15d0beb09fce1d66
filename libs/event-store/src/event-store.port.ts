/**
 * The event store port: the product's source of truth. Adapters (SQLite, PostgreSQL, EventStoreDB)
 * implement it and pass one contract suite. It knows nothing of SCIM or of the product's events.
 */

/**
 * A global position in the log of all events. Opaque: compare positions with `comparePositions`
 * (or as strings: every adapter emits fixed-width, lexicographically sortable positions), store
 * and transmit them as strings, never subtract them.
 */
export type Position = string;

/** What the writer believes the stream's current revision is. Revisions start at 0. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface EventData {
  /** Globally unique (UUID). Appending an id already in the stream is an idempotent no-op. */
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface RecordedEvent {
  eventId: string;
  type: string;
  streamName: string;
  /** 0-based revision of the event inside its stream. */
  revision: number;
  position: Position;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: Date;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamName: string;
  events: EventData[];
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The stream's revision after the append: the expected revision for the next write. */
  nextExpectedRevision: number;
  /** Position of the last event appended (or of the already stored event on an idempotent retry). */
  position: Position;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this position; 'start' (default) reads from the beginning. */
  after?: Position | 'start';
  maxCount?: number;
  filter?: EventFilter;
}

export interface EventFilter {
  /** Stream name prefixes, e.g. `user-` matches every `user-<workspace>.<id>` stream. */
  streamPrefixes?: string[];
  /** Exact event types. */
  eventTypes?: string[];
  /**
   * Stream name prefixes left out, whatever else matches: a consumer that wants every category but
   * one (write-side bookkeeping, say) never reads that one's events, and still sees categories added later.
   */
  excludeStreamPrefixes?: string[];
}

export interface SubscribeOptions {
  /** Deliver events strictly after this checkpoint; 'start' delivers all history. */
  after: Position | 'start';
  filter?: EventFilter;
  /** Largest batch handed to the handler at once. */
  batchSize?: number;
  /**
   * Once caught up, read at most once per this many milliseconds: a consumer that can afford the
   * delay gets fewer, larger batches (fewer reads and transactions under load). Default 0: read on
   * every change. Polling stores only; EventStoreDB pushes.
   */
  minReadIntervalMs?: number;
}

/**
 * Receives events in global order. The subscription waits for the returned promise before
 * delivering more (back-pressure). A thrown error stops the subscription.
 */
export type BatchHandler = (events: RecordedEvent[]) => Promise<void>;

export interface Subscription {
  /** Stops delivering; resolves once the handler in flight (if any) has finished. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves after stop(), rejects with the handler's error. */
  readonly done: Promise<void>;
}

export interface EventStore {
  appendToStream(
    streamName: string,
    events: EventData[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Appends to several distinct streams at once, all or nothing: each stream is judged as
   * appendToStream judges it (expected revision, idempotent retry), and if any one refuses, none
   * is written. Results come in the order given, and so do the positions of the events.
   * The EventStoreDB adapter cannot make this atomic (see its README): it appends in order.
   */
  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** A batch of events of all streams in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * How many events `readAll` would return after `after` (up to the head a reader may see) with
   * `filter`, without reading them: a replay's total, for its progress and ETA.
   */
  countAll(options?: Omit<ReadAllOptions, 'maxCount'>): Promise<number>;
  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription;
  /** Position of the newest event a reader may see; null when the store is empty. */
  headPosition(): Promise<Position | null>;
  close(): Promise<void>;
}

/** Injection token for the port (NestJS and plain composition alike). */
export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision; -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`Wrong expected revision on ${streamName}: expected ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
