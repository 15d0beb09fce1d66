import { newEventId } from './event-ids';

describe('newEventId', () => {
  it('makes RFC 9562 version 7 UUIDs that carry their millisecond and sort by it', () => {
    const id = newEventId(Date.UTC(2026, 10, 29, 3, 0, 0, 123));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 29, 3, 0, 0, 123));
    const later = newEventId(Date.UTC(2026, 10, 29, 3, 0, 0, 124));
    expect(later > id).toBe(true);
  });

  it('differs between two ids of the same millisecond', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, () => newEventId(now)));
    expect(ids.size).toBe(1000);
  });
});
