import type { ValueTransformer } from 'typeorm';

/**
 * JSON columns are `jsonb` on PostgreSQL and text on SQLite (see the migrations). The entity
 * declares text and this transformer bridges both: pg hands back parsed jsonb, SQLite a string.
 */
export const jsonTransformer: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
};

/** Booleans are real booleans on PostgreSQL and 0/1 on SQLite. */
export const booleanTransformer: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => value === true || value === 1 || value === '1',
};
