import { FreshReads } from './fresh-reads';

/** A store whose reads the test finishes by hand; each read returns the value when it started. */
function manualStore() {
  let value = 0;
  const reads: Array<{ startedWith: number; finish: () => void }> = [];
  const read = (_key: string) =>
    new Promise<number>((resolve) => {
      const startedWith = value;
      reads.push({ startedWith, finish: () => resolve(startedWith) });
    });
  return { read, reads, set: (next: number) => (value = next) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FreshReads', () => {
  it('never answers a caller with a read that started before it arrived, and shares the reads that did not', async () => {
    const store = manualStore();
    const fresh = new FreshReads(store.read);
    const first = fresh.get('acme');
    // A write commits while the first read is in flight; then three callers ask.
    store.set(1);
    const later = [fresh.get('acme'), fresh.get('acme'), fresh.get('acme')];
    expect(store.reads).toHaveLength(1);
    store.reads[0]!.finish();
    expect(await first).toBe(0);
    await tick();
    // One more read, started after they arrived, serves all three.
    expect(store.reads).toHaveLength(2);
    store.reads[1]!.finish();
    expect(await Promise.all(later)).toEqual([1, 1, 1]);
  });

  it('keeps keys apart and reads again once nothing is in flight', async () => {
    const seen: string[] = [];
    const fresh = new FreshReads(async (key) => {
      seen.push(key);
      return key.length;
    });
    expect(await Promise.all([fresh.get('a'), fresh.get('bb')])).toEqual([1, 2]);
    expect(await fresh.get('a')).toBe(1);
    expect(seen).toEqual(['a', 'bb', 'a']);
  });

  it('passes a failed read to its callers, and the next caller reads again', async () => {
    let fail = true;
    const fresh = new FreshReads(async () => {
      if (fail) throw new Error('database down');
      return 'ok';
    });
    await expect(fresh.get('acme')).rejects.toThrow('database down');
    fail = false;
    await expect(fresh.get('acme')).resolves.toBe('ok');
  });
});
