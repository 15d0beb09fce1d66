import { AttributeDefinition, defineAttribute as a, ResourceTypeDefinition, SchemaDefinition } from './attribute-definition';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './schema-uris';

/** RFC 7643 §3.1 common attributes: part of every resource, but not listed in any /Schemas document. */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  a('id', 'string', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server', description: 'Unique identifier assigned by the service provider.' }),
  a('externalId', 'string', { caseExact: true, description: 'Identifier assigned by the provisioning client.' }),
  a('meta', 'complex', {
    mutability: 'readOnly',
    description: 'Resource metadata.',
    subAttributes: [
      a('resourceType', 'string', { caseExact: true, mutability: 'readOnly' }),
      a('created', 'dateTime', { mutability: 'readOnly' }),
      a('lastModified', 'dateTime', { mutability: 'readOnly' }),
      a('location', 'reference', { caseExact: true, mutability: 'readOnly', referenceTypes: ['uri'] }),
      a('version', 'string', { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];

const multiValuedSubAttributes = (
  valueType: 'string' | 'reference' | 'binary',
  types: readonly string[],
  valueOptions: Parameters<typeof a>[2] = {},
): AttributeDefinition[] => [
  a('value', valueType, valueOptions),
  a('display', 'string'),
  a('type', 'string', types.length > 0 ? { canonicalValues: types } : {}),
  a('primary', 'boolean'),
];

export const USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    a('userName', 'string', { required: true, uniqueness: 'server', description: 'Unique identifier for the User, typically used to authenticate.' }),
    a('name', 'complex', {
      description: "The components of the user's real name.",
      subAttributes: [
        a('formatted', 'string'),
        a('familyName', 'string'),
        a('givenName', 'string'),
        a('middleName', 'string'),
        a('honorificPrefix', 'string'),
        a('honorificSuffix', 'string'),
      ],
    }),
    a('displayName', 'string'),
    a('nickName', 'string'),
    a('profileUrl', 'reference', { referenceTypes: ['external'] }),
    a('title', 'string'),
    a('userType', 'string'),
    a('preferredLanguage', 'string'),
    a('locale', 'string'),
    a('timezone', 'string'),
    a('active', 'boolean'),
    a('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
    a('emails', 'complex', { multiValued: true, subAttributes: multiValuedSubAttributes('string', ['work', 'home', 'other']) }),
    a('phoneNumbers', 'complex', { multiValued: true, subAttributes: multiValuedSubAttributes('string', ['work', 'home', 'mobile', 'fax', 'pager', 'other']) }),
    a('ims', 'complex', { multiValued: true, subAttributes: multiValuedSubAttributes('string', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']) }),
    a('photos', 'complex', { multiValued: true, subAttributes: multiValuedSubAttributes('reference', ['photo', 'thumbnail'], { referenceTypes: ['external'] }) }),
    a('addresses', 'complex', {
      multiValued: true,
      subAttributes: [
        a('formatted', 'string'),
        a('streetAddress', 'string'),
        a('locality', 'string'),
        a('region', 'string'),
        a('postalCode', 'string'),
        a('country', 'string'),
        a('type', 'string', { canonicalValues: ['work', 'home', 'other'] }),
        a('primary', 'boolean'),
      ],
    }),
    a('groups', 'complex', {
      multiValued: true,
      mutability: 'readOnly',
      description: 'Groups the user belongs to; derived from Group membership.',
      subAttributes: [
        a('value', 'string', { mutability: 'readOnly' }),
        a('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['User', 'Group'] }),
        a('display', 'string', { mutability: 'readOnly' }),
        a('type', 'string', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
      ],
    }),
    a('entitlements', 'complex', { multiValued: true, subAttributes: multiValuedSubAttributes('string', []) }),
    a('roles', 'complex', { multiValued: true, subAttributes: multiValuedSubAttributes('string', []) }),
    a('x509Certificates', 'complex', { multiValued: true, subAttributes: multiValuedSubAttributes('binary', []) }),
  ],
};

export const GROUP_SCHEMA_DEFINITION: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    // uniqueness "server": this service enforces unique group names per workspace (Entra requires it).
    a('displayName', 'string', { required: true, uniqueness: 'server', description: 'A human-readable name for the Group.' }),
    a('members', 'complex', {
      multiValued: true,
      description: 'A list of members of the Group.',
      subAttributes: [
        a('value', 'string', { caseExact: true, mutability: 'immutable' }),
        // Groups hold users only (nested groups are refused): a member refers to a User.
        a('$ref', 'reference', { caseExact: true, mutability: 'immutable', referenceTypes: ['User'] }),
        // The server names each member from the user itself; a `display` sent is not kept.
        a('display', 'string', { mutability: 'readOnly' }),
        a('type', 'string', { mutability: 'immutable', canonicalValues: ['User'] }),
      ],
    }),
  ],
};

export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    a('employeeNumber', 'string'),
    a('costCenter', 'string'),
    a('organization', 'string'),
    a('division', 'string'),
    a('department', 'string'),
    a('manager', 'complex', {
      subAttributes: [
        a('value', 'string', { caseExact: true }),
        a('$ref', 'reference', { caseExact: true, referenceTypes: ['User'] }),
        a('displayName', 'string', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

export const USER_RESOURCE_TYPE: ResourceTypeDefinition = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA,
  schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
};

export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA,
  schemaExtensions: [],
};
