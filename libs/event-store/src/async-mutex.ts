/** Runs async critical sections one at a time, in call order. */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(critical: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(critical);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
