/** Runs async critical sections one at a time, in call order. */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(critical: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(critical);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
  });
}
