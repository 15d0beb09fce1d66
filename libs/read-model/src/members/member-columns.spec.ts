import { memberColumnsOf } from './member-columns';

describe('memberColumnsOf', () => {
  it('keeps the primary email as the member’s email for the list and its sort', () => {
    const emails = [
      { value: 'home@example.com', type: 'home' },
      { value: 'Work@Example.com', type: 'work', primary: true },
    ];
    expect(memberColumnsOf({ userName: 'ada', emails }).primaryEmail).toBe('Work@Example.com');
  });

  it('falls back to the first email with a value, and to null without one', () => {
    expect(memberColumnsOf({ userName: 'ada', emails: [{ type: 'work' }, { value: 'b@example.com' }, { value: 'c@example.com' }] }).primaryEmail).toBe(
      'b@example.com',
    );
    expect(memberColumnsOf({ userName: 'ada' }).primaryEmail).toBeNull();
    expect(memberColumnsOf({ userName: 'ada', emails: 'not a list' }).primaryEmail).toBeNull();
  });
});
