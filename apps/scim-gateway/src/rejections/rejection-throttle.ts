interface Window {
  recordedAt: number;
  suppressed: number;
}

const PRUNE_ABOVE = 10_000;

/**
 * At most one recorded rejection per key (workspace + reason) per window, so a flood of bad
 * requests cannot fill the event store; the next recorded one says how many were left out.
 */
export class RejectionThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs: number,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  /** Whether to record this rejection, and how many of its kind were suppressed before it. */
  admit(key: string): { record: true; suppressed: number } | { record: false } {
    const now = this.nowMs();
    const window = this.windows.get(key);
    if (window && now - window.recordedAt < this.windowMs) {
      window.suppressed += 1;
      return { record: false };
    }
    if (!window && this.windows.size >= PRUNE_ABOVE) this.prune(now);
    this.windows.set(key, { recordedAt: now, suppressed: 0 });
    return { record: true, suppressed: window?.suppressed ?? 0 };
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.recordedAt >= this.windowMs) this.windows.delete(key);
  }
}
