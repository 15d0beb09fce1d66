import { parseReplayArgs } from './replay-args';

describe('replay.js arguments', () => {
  it('reads the name, the grace period and --drop-old-now', () => {
    expect(parseReplayArgs(['members'])).toEqual({ name: 'members', graceSeconds: 60 });
    expect(parseReplayArgs(['groups', '--grace-seconds', '5'])).toEqual({ name: 'groups', graceSeconds: 5 });
    expect(parseReplayArgs(['members', '--grace-seconds=0'])).toEqual({ name: 'members', graceSeconds: 0 });
    expect(parseReplayArgs(['members', '--drop-old-now', '--grace-seconds', '30'])).toEqual({ name: 'members', graceSeconds: 0 });
  });

  it.each([
    [['members', '--grace', '5'], /Unknown option '--grace'/],
    [['members', '--grace-seconds'], /argument missing/],
    [['members', '--grace-seconds', '-1'], /ambiguous/],
    [['members', '--grace-seconds=-1'], /non-negative/],
    [['members', '--grace-seconds', 'soon'], /non-negative/],
    [['members', 'groups'], /usage/],
    [[], /usage/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseReplayArgs(argv)).toThrow(message);
  });
});
