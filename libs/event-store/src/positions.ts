import type { Position } from './event-store.port';

/**
 * Every position is built from unsigned decimal fields padded to the same width, so that string
 * order equals numeric order. 20 digits hold any unsigned 64-bit value (xid8, bigint, ESDB commit).
 */
const FIELD_WIDTH = 20;
const FIELD = new RegExp(`^\\d{${FIELD_WIDTH}}$`);

export function encodePositionFields(...fields: Array<bigint | number | string>): Position {
  return fields
    .map((field) => {
      const digits = BigInt(field).toString();
      if (digits.startsWith('-') || digits.length > FIELD_WIDTH) throw new RangeError(`position field out of range: ${digits}`);
      return digits.padStart(FIELD_WIDTH, '0');
    })
    .join(':');
}

/** Splits a position into its fields (as decimal strings without padding), checking its shape. */
export function decodePositionFields(position: Position, fieldCount: number, storeName: string): string[] {
  const fields = typeof position === 'string' ? position.split(':') : [];
  if (fields.length !== fieldCount || !fields.every((field) => FIELD.test(field))) {
    throw new InvalidPositionError(position, storeName);
  }
  return fields.map((field) => BigInt(field).toString());
}

export class InvalidPositionError extends Error {
  constructor(
    readonly position: unknown,
    storeName: string,
  ) {
    super(`Not a ${storeName} position: ${JSON.stringify(position)}`);
    this.name = 'InvalidPositionError';
  }
}
