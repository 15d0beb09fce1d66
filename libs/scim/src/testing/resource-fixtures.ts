import { defineAttribute, SchemaDefinition } from '../schemas/attribute-definition';
import { createDefaultSchemaRegistry, SchemaRegistry } from '../schemas/schema-registry';
import { AXIS_USER_EXTENSION_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../schemas/schema-uris';
import { JsonObject } from '../schemas/resource-access';

/** A stored user, as the domain keeps it (canonical attribute names). */
export function storedUser(overrides: JsonObject = {}): JsonObject {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    id: '2819c223-7f76-453a-919d-413861904646',
    externalId: 'bjensen-ext',
    userName: 'Bjensen@Example.com',
    name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
    displayName: 'Babs Jensen',
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87a4-9e6dc4be9e1f', displayName: 'John Smith' } },
    meta: {
      resourceType: 'User',
      created: '2010-01-23T04:56:22.000Z',
      lastModified: '2011-05-13T04:42:34.000Z',
      location: 'https://example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646',
      version: 'W/"3"',
    },
    ...overrides,
  };
}

export function storedGroup(overrides: JsonObject = {}): JsonObject {
  return {
    schemas: [GROUP_SCHEMA],
    id: 'GROUP_ID',
    displayName: 'Tour Guides',
    members: [
      { value: 'f648f8d5ea4e4cd38e9c', display: 'Babs Jensen' },
      { value: '9c26ba1c4a7e4e2c8d11', display: 'Mandy Pepperidge' },
    ],
    meta: { resourceType: 'Group', created: '2010-01-23T04:56:22.000Z', lastModified: '2011-05-13T04:42:34.000Z', version: 'W/"1"' },
    ...overrides,
  };
}

/**
 * A workspace's custom extension as the product registers it: every type a workspace may define,
 * single- and multi-valued, caseExact and not.
 */
export const CUSTOM_USER_EXTENSION: SchemaDefinition = {
  id: AXIS_USER_EXTENSION_SCHEMA,
  name: 'AxisSynapseUser',
  description: 'Custom attributes of the workspace',
  attributes: [
    defineAttribute('costCode', 'string'),
    defineAttribute('badge', 'string', { caseExact: true }),
    defineAttribute('seats', 'integer'),
    defineAttribute('rate', 'decimal'),
    defineAttribute('remote', 'boolean'),
    defineAttribute('startDate', 'dateTime'),
    defineAttribute('homePage', 'reference', { referenceTypes: ['external'] }),
    defineAttribute('tags', 'string', { multiValued: true }),
    defineAttribute('scores', 'integer', { multiValued: true }),
  ],
};

/** The default registry plus CUSTOM_USER_EXTENSION on User. */
export function customUserRegistry(): SchemaRegistry {
  return createDefaultSchemaRegistry().withExtension(CUSTOM_USER_EXTENSION, 'User');
}
