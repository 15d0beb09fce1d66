import { createDefaultSchemaRegistry } from '@axis/scim';

/** The User resource schema (core + enterprise extension) every user slice validates against. */
export const userSchema = createDefaultSchemaRegistry().forResourceType('User');
