import type { EventStore, RecordedEvent } from '@axis/event-store';
import type { LoadedStream, StateFolder, StreamLoader } from '@axis/write';
import type { StreamStateCache } from './stream-state-cache';

/**
 * Loads a stream from this process's cached state of it, reading only the events after it. A group
 * of 50,000 members built by thousands of PATCHes is replayed once per process, not on every PATCH;
 * membership events are deltas, so a PATCH then costs what it changes. States are exact for ever
 * (streams are append-only), whichever process appended the events read since.
 */
export class CachedStreamLoader implements StreamLoader {
  constructor(
    private readonly store: EventStore,
    private readonly cache: StreamStateCache,
    /** The cache's measure of a state (≈ member ids held); 1 when absent. */
    private readonly weigh: (state: unknown) => number = () => 1,
  ) {}

  async load<Event, State>(decider: StateFolder<Event, State>, streamName: string): Promise<LoadedStream<State>> {
    const cached = this.cache.get(streamName, decider);
    const fromRevision = cached ? cached.revision + 1 : 0;
    const recorded = await this.store.readStream(streamName, { fromRevision });
    let state = cached ? (cached.state as State) : decider.initialState();
    for (const event of recorded) state = decider.evolve(state, event as unknown as Event);
    const revision = fromRevision - 1 + recorded.length;
    const createdAt = cached ? cached.createdAt : recorded[0] ? occurredAtOf(recorded[0]) : null;
    const lastModified = recorded.length > 0 ? occurredAtOf(recorded[recorded.length - 1]!) : (cached?.lastModified ?? null);
    const loaded = { state, revision, createdAt, lastModified };
    if (recorded.length > 0) this.remember(decider, streamName, loaded);
    return loaded;
  }

  remember<Event, State>(decider: StateFolder<Event, State>, streamName: string, written: LoadedStream<State>): void {
    this.cache.set(streamName, { decider, ...written, weight: this.weigh(written.state) });
  }
}

function occurredAtOf(event: RecordedEvent): string {
  const value = event.metadata['occurredAt'];
  return typeof value === 'string' ? value : event.recordedAt.toISOString();
}
