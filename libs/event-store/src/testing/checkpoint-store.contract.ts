import { CheckpointConflictError, type CheckpointStore } from '../checkpoint.store';

const P1 = '00000000000000000001';
const P2 = '00000000000000000002';
const P3 = '00000000000000000003';

/** The compare-and-set behaviour every CheckpointStore implementation must show. */
export function describeCompareAndSet(name: string, open: () => Promise<{ store: CheckpointStore; close(): Promise<void> }>): void {
  describe(`compare-and-set checkpoints: ${name}`, () => {
    let store: CheckpointStore;
    let close: () => Promise<void>;
    beforeEach(async () => ({ store, close } = await open()));
    afterEach(() => close());

    it('starts with no checkpoint and stores the first one with expected null', async () => {
      expect(await store.load('projector')).toBeNull();
      await store.compareAndSet('projector', null, P1);
      expect(await store.load('projector')).toBe(P1);
      expect(await store.load('someone-else')).toBeNull();
    });

    it('moves on only from the expected position', async () => {
      await store.compareAndSet('projector', null, P1);
      await store.compareAndSet('projector', P1, P2);
      const conflict = await store.compareAndSet('projector', P1, P3).catch((e: unknown) => e);
      expect(conflict).toBeInstanceOf(CheckpointConflictError);
      expect(conflict).toMatchObject({ subscriberId: 'projector', expected: P1, actual: P2 });
      await expect(store.compareAndSet('projector', null, P3)).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(store.compareAndSet('missing', P1, P2)).rejects.toMatchObject({ actual: null });
      expect(await store.load('projector')).toBe(P2);
    });

    it('accepts storing the same position again and refuses to move backwards', async () => {
      await store.compareAndSet('projector', null, P2);
      await store.compareAndSet('projector', P2, P2);
      await expect(store.compareAndSet('projector', P2, P1)).rejects.toThrow(RangeError);
      expect(await store.load('projector')).toBe(P2);
    });
  });
}

