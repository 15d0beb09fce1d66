import { parseRepublishArgs } from './republish-args';
import { republishProgress } from './republish-progress';

describe('republish.js arguments', () => {
  it('reads the range, the topic and the rate', () => {
    expect(parseRepublishArgs(['--from', '2026-12-01T00:00:00Z', '--topic', 'replay', '--rate', '50'])).toEqual({
      from: { time: Date.parse('2026-12-01T00:00:00Z') },
      raw: { from: '2026-12-01T00:00:00Z', to: null },
      topic: 'replay',
      ratePerSecond: 50,
    });
    expect(parseRepublishArgs(['--from=00000000000000000010', '--to', '00000000000000000020', '--topic=t']).to).toEqual({ position: '00000000000000000020' });
  });

  it.each([
    [['--from', 'x', '--topic', 't', '--rat', '5'], /Unknown option '--rat'/],
    [['--from', '2026-12-01', '--topic'], /argument missing/],
    [['--from', '2026-12-01', '--topic', 't', 'extra'], /Unexpected argument 'extra'/],
    [['--topic', 't'], /usage/],
    [['--from', 'yesterday', '--topic', 't'], /not a position or an ISO time/],
    [['--from', '2026-12-01', '--topic', 't', '--rate', '0'], /positive number/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseRepublishArgs(argv)).toThrow(message);
  });
});

describe('republish progress', () => {
  it('off a terminal: a plain line at most every 5 s with the total, rate and ETA, then the summary', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = republishProgress('replay', 1000, { isTTY: false, write: (text) => void lines.push(text) }, () => clock);
    clock = 1000;
    progress.update(100);
    clock = 2000;
    progress.update(200);
    clock = 6500;
    progress.update(650);
    clock = 10_000;
    progress.done(1000);
    expect(lines).toEqual([
      'republished 100 of at most 1000 events to replay (10 %), 100 events/s, ETA 9s\n',
      'republished 650 of at most 1000 events to replay (65 %), 100 events/s, ETA 4s\n',
      'republished 1000 events to replay in 10s\n',
    ]);
  });

  it('on a terminal: one line rewritten in place', () => {
    let clock = 0;
    const written: string[] = [];
    const progress = republishProgress('replay', 90_000, { isTTY: true, write: (text) => void written.push(text) }, () => clock);
    clock = 1000;
    progress.update(500);
    expect(written).toEqual(['\rrepublished 500 of at most 90000 events to replay (0 %), 500 events/s, ETA 2m59s   ']);
  });
});
