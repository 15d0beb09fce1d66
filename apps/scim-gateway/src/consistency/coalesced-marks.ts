import { comparePositions, type Position } from '@axis/event-store';

interface Pending {
  position: Position;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Records the latest position per key through `record`, at most one call in flight per key: writes
 * that arrive while one is in flight share the next call, which carries the latest of their
 * positions. Each caller resolves once a call carrying its position (or a later one) has finished.
 * Under an IdP's initial sync many writes of one workspace are in flight at once; without this each
 * would upsert the workspace's one `write_marks` row in turn, queueing on its row lock.
 */
export class CoalescedMarks {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly next = new Map<string, Pending>();

  constructor(private readonly record: (key: string, position: Position) => Promise<void>) {}

  write(key: string, position: Position): Promise<void> {
    if (!this.inFlight.has(key)) return this.start(key, position);
    const waiting = this.next.get(key);
    if (waiting) {
      if (comparePositions(position, waiting.position) > 0) waiting.position = position;
      return waiting.done;
    }
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.next.set(key, { position, done, resolve, reject });
    return done;
  }

  private start(key: string, position: Position): Promise<void> {
    const call = this.record(key, position).finally(() => {
      this.inFlight.delete(key);
      const waiting = this.next.get(key);
      if (!waiting) return;
      this.next.delete(key);
      this.start(key, waiting.position).then(waiting.resolve, waiting.reject);
    });
    this.inFlight.set(key, call);
    return call;
  }
}
