export interface BatchWriterOptions<Item> {
  /** Writes one batch (one multi-row INSERT); a rejection drops the batch. */
  write(items: Item[]): Promise<void>;
  /** Items held at most; past it new ones are dropped. */
  capacity: number;
  /** Items written per batch; a full batch is written at once rather than at the next tick. */
  batchSize: number;
  /** How often whatever is queued is written. */
  intervalMs: number;
  /** `queue-full` or `write-failed`, with how many items were lost. */
  onDropped(reason: 'queue-full' | 'write-failed', count: number, error?: unknown): void;
}

/**
 * A bounded in-memory queue written in batches off the request path: `enqueue` never waits and
 * never throws; batches go out every `intervalMs`, or as soon as `batchSize` items are waiting,
 * one write at a time. Losing a few log lines is better than slowing or failing the requests they
 * describe, so a full queue drops (and counts) rather than grows.
 */
export class BatchWriter<Item> {
  private queue: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private sizeFlushScheduled = false;
  private closed = false;

  constructor(private readonly options: BatchWriterOptions<Item>) {}

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** False when the item was dropped (queue full, or closed). */
  enqueue(item: Item): boolean {
    if (this.closed || this.queue.length >= this.options.capacity) {
      this.options.onDropped('queue-full', 1);
      return false;
    }
    this.queue.push(item);
    if (this.queue.length >= this.options.batchSize && !this.sizeFlushScheduled) {
      this.sizeFlushScheduled = true;
      setImmediate(() => {
        this.sizeFlushScheduled = false;
        void this.flush();
      });
    }
    return true;
  }

  /** Writes what is queued, batch by batch; resolves when the queue is empty or a write failed. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.queue.length === 0) return;
    this.writing = this.drain();
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  /** Stops the timer, writes everything still queued and refuses new items. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      try {
        await this.options.write(batch);
      } catch (error) {
        this.options.onDropped('write-failed', batch.length, error);
        return;
      }
    }
  }
}
