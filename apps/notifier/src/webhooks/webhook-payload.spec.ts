import { createHash } from 'node:crypto';
import { deliveryIdOf } from './webhook-payload';

describe('deliveryIdOf', () => {
  const bytesOf = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');

  it('is a UUID whose version is 8 and whose variant is 10 (RFC 9562)', () => {
    for (let event = 0; event < 64; event++) {
      const id = deliveryIdOf('3f0c4a52-6f1e-4d0b-9d7a-2b51c0e8a1f4', `event-${event}`);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const bytes = bytesOf(id);
      expect(bytes[6]! >> 4).toBe(8);
      expect(bytes[8]! >> 6).toBe(0b10);
    }
  });

  it('keeps every other bit of the SHA-256 of subscription and event', () => {
    const hash = createHash('sha256').update('sub-1:event-1').digest().subarray(0, 16);
    const id = bytesOf(deliveryIdOf('sub-1', 'event-1'));
    id[6] = (id[6]! & 0x0f) | (hash[6]! & 0xf0);
    id[8] = (id[8]! & 0x3f) | (hash[8]! & 0xc0);
    expect(id.equals(hash)).toBe(true);
  });

  it('names one delivery per subscription and event: the same on every call, different for another pair', () => {
    expect(deliveryIdOf('sub-1', 'event-1')).toBe(deliveryIdOf('sub-1', 'event-1'));
    expect(deliveryIdOf('sub-1', 'event-1')).not.toBe(deliveryIdOf('sub-2', 'event-1'));
    expect(deliveryIdOf('sub-1', 'event-1')).not.toBe(deliveryIdOf('sub-1', 'event-2'));
  });
});
