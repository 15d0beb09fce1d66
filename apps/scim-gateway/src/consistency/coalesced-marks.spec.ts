import { encodeSqlitePosition } from '@axis/event-store';
import { CoalescedMarks } from './coalesced-marks';

const at = (position: number) => encodeSqlitePosition(position);

describe('CoalescedMarks', () => {
  it('shares one call among the writes that arrive while another is in flight, carrying the latest position', async () => {
    const calls: Array<{ key: string; position: string; finish: () => void }> = [];
    const marks = new CoalescedMarks((key, position) => new Promise<void>((finish) => calls.push({ key, position, finish })));
    const settled: number[] = [];
    const writes = [5, 7, 6, 9, 8].map((position) => marks.write('acme', at(position)).then(() => settled.push(position)));

    expect(calls.map((call) => call.position)).toEqual([at(5)]);
    calls[0]!.finish();
    await new Promise((resolve) => setImmediate(resolve));
    // The first write is recorded; the four that waited share one call with the latest position.
    expect(settled).toEqual([5]);
    expect(calls.map((call) => call.position)).toEqual([at(5), at(9)]);
    calls[1]!.finish();
    await Promise.all(writes);
    expect(settled.sort()).toEqual([5, 6, 7, 8, 9]);
    expect(calls).toHaveLength(2);
  });

  it('keeps keys apart', async () => {
    const recorded: string[] = [];
    const marks = new CoalescedMarks(async (key, position) => void recorded.push(`${key}@${position}`));
    await Promise.all([marks.write('acme', at(1)), marks.write('globex', at(2))]);
    expect(recorded.sort()).toEqual([`acme@${at(1)}`, `globex@${at(2)}`]);
  });

  it('rejects the writers of a failed call, and the next write calls again', async () => {
    let fail = true;
    const marks = new CoalescedMarks(async () => {
      if (fail) throw new Error('database down');
    });
    const first = marks.write('acme', at(1));
    const waiting = marks.write('acme', at(2));
    await expect(first).rejects.toThrow('database down');
    await expect(waiting).rejects.toThrow('database down');
    fail = false;
    await expect(marks.write('acme', at(3))).resolves.toBeUndefined();
  });
});
