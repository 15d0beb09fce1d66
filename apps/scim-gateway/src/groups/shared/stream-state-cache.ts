import { Injectable } from '@nestjs/common';

export interface CachedStreamState {
  /** The decider the state was folded with: a cache hit needs the same one. */
  decider: object;
  state: unknown;
  revision: number;
  createdAt: string | null;
  lastModified: string | null;
  weight: number;
}

/** Total weight (≈ member ids) kept: 1,000,000 ids, about 210 MB at most (bench:scale measured ~220 bytes per id of a PATCH-built department). */
export const STREAM_STATE_CACHE_MAX_WEIGHT = 1_000_000;

/**
 * An in-process snapshot per stream: the state folded up to a revision. Streams are append-only,
 * so a state at revision N stays exact for ever; a later load reads only the events after N
 * (`readStream(fromRevision: N + 1)`), whichever process appended them. Least recently used
 * entries go first once the total weight is over the bound.
 */
@Injectable()
export class StreamStateCache {
  private readonly entries = new Map<string, CachedStreamState>();
  private weight = 0;
  maxWeight = STREAM_STATE_CACHE_MAX_WEIGHT;

  get(streamName: string, decider: object): CachedStreamState | undefined {
    const entry = this.entries.get(streamName);
    if (!entry || entry.decider !== decider) return undefined;
    // Map order is insertion order: re-inserting marks it most recently used.
    this.entries.delete(streamName);
    this.entries.set(streamName, entry);
    return entry;
  }

  set(streamName: string, entry: CachedStreamState): void {
    const previous = this.entries.get(streamName);
    if (previous) {
      if (previous.revision > entry.revision && previous.decider === entry.decider) return;
      this.weight -= previous.weight;
      this.entries.delete(streamName);
    }
    this.entries.set(streamName, entry);
    this.weight += entry.weight;
    for (const [name, oldest] of this.entries) {
      if (this.weight <= this.maxWeight || this.entries.size === 1) break;
      this.entries.delete(name);
      this.weight -= oldest.weight;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
