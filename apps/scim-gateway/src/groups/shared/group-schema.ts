import { createDefaultSchemaRegistry } from '@axis/scim';

/** The Group resource schema every group slice validates against. */
export const groupSchema = createDefaultSchemaRegistry().forResourceType('Group');
