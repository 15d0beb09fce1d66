import { parseFilter } from '../filter/filter-parser';
import { evaluateFilter } from '../filter/filter-evaluator';
import { applyPatch } from '../patch/patch-engine';
import { AttributeDefinition, defineAttribute } from './attribute-definition';
import {
  BULK_MAX_OPERATIONS,
  BULK_MAX_PAYLOAD_SIZE,
  buildResourceTypeDocument,
  buildResourceTypesDocument,
  buildSchemaDocument,
  buildSchemasDocument,
  buildServiceProviderConfig,
  FILTER_MAX_RESULTS,
} from './discovery-documents';
import { createDefaultSchemaRegistry } from './schema-registry';
import { AXIS_USER_EXTENSION_SCHEMA, ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from './schema-uris';

const registry = createDefaultSchemaRegistry();
const BASE = 'https://acme.axissynapse.com/scim/v2/';

function everyAttribute(attributes: AttributeDefinition[], visit: (a: Record<string, unknown>) => void): void {
  for (const a of attributes as unknown as Record<string, unknown>[]) {
    visit(a);
    if (Array.isArray(a['subAttributes'])) everyAttribute(a['subAttributes'] as AttributeDefinition[], visit);
  }
}

describe('discovery documents', () => {
  it('ServiceProviderConfig says bulk is unsupported unless the server implements it', () => {
    expect(buildServiceProviderConfig(BASE)).toMatchObject({ bulk: { supported: false, maxOperations: BULK_MAX_OPERATIONS } });
  });

  it('ServiceProviderConfig advertises the smaller bulk payload a server with a lower body limit takes', () => {
    expect(buildServiceProviderConfig(BASE, { bulk: true, bulkMaxPayloadSize: 65_536 })).toMatchObject({ bulk: { supported: true, maxPayloadSize: 65_536 } });
  });

  it('ServiceProviderConfig advertises exactly what is implemented', () => {
    expect(buildServiceProviderConfig(BASE, { bulk: true })).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD_SIZE },
      filter: { supported: true, maxResults: FILTER_MAX_RESULTS },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
      meta: { location: 'https://acme.axissynapse.com/scim/v2/ServiceProviderConfig' },
    });
  });

  it('/Schemas lists User, Group and EnterpriseUser with every characteristic and no nulls', () => {
    const doc = buildSchemasDocument(registry, BASE) as { totalResults: number; Resources: { id: string; attributes: AttributeDefinition[] }[] };
    expect(doc.Resources.map((r) => r.id)).toEqual([USER_SCHEMA, 'urn:ietf:params:scim:schemas:core:2.0:Group', ENTERPRISE_USER_SCHEMA]);
    expect(doc.totalResults).toBe(3);
    expect(JSON.stringify(doc)).not.toContain('null');
    for (const schema of doc.Resources) {
      everyAttribute(schema.attributes, (a) => {
        for (const key of ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness']) expect(a).toHaveProperty(key);
        if (a['type'] === 'reference') expect(a).toHaveProperty('referenceTypes');
      });
    }
    const user = doc.Resources[0];
    expect(user.attributes.find((a) => a.name === 'userName')).toMatchObject({ required: true, caseExact: false, uniqueness: 'server', returned: 'default' });
    expect(user.attributes.find((a) => a.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(user.attributes.find((a) => a.name === 'groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    // Publish what the server does: a Group without displayName is refused (RFC 7643 §4.2 requires it).
    expect(doc.Resources[1].attributes.find((a) => a.name === 'displayName')).toMatchObject({ required: true, uniqueness: 'server' });
    // …and a member's `display` comes from the user, whatever was sent.
    expect(doc.Resources[1].attributes.find((a) => a.name === 'members')?.subAttributes?.find((a) => a.name === 'display')).toMatchObject({ mutability: 'readOnly' });
    // …and a member is a user: nested groups are refused, so a member refers to a User only.
    expect(doc.Resources[1].attributes.find((a) => a.name === 'members')?.subAttributes?.filter((a) => a.name === '$ref' || a.name === 'type')).toMatchObject([
      { name: '$ref', referenceTypes: ['User'] },
      { name: 'type', canonicalValues: ['User'] },
    ]);
    const enterprise = doc.Resources[2];
    expect(enterprise.attributes.map((a) => a.name)).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
    expect(enterprise.attributes[5].subAttributes?.map((a) => a.name)).toEqual(['value', '$ref', 'displayName']);
  });

  it('single schema and resource type lookups are case-insensitive; unknown ones are 404', () => {
    expect(buildSchemaDocument(registry, ENTERPRISE_USER_SCHEMA.toLowerCase(), BASE)).toMatchObject({ id: ENTERPRISE_USER_SCHEMA });
    expect(buildResourceTypeDocument(registry, 'user', BASE)).toMatchObject({ id: 'User', endpoint: '/Users', schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }] });
    expect(() => buildSchemaDocument(registry, 'urn:nope', BASE)).toThrow(expect.objectContaining({ status: 404 }));
    expect(buildResourceTypesDocument(registry, BASE)).toMatchObject({ totalResults: 2 });
  });

  it('a workspace extension added at runtime is discoverable, filterable and patchable', () => {
    const custom = registry.withExtension(
      { id: AXIS_USER_EXTENSION_SCHEMA, name: 'AxisSynapseUser', description: 'Workspace attributes', attributes: [defineAttribute('costCode', 'string'), defineAttribute('seats', 'integer'), defineAttribute('startDate', 'dateTime')] },
      'User',
    );
    expect(registry.getSchema(AXIS_USER_EXTENSION_SCHEMA)).toBeUndefined();
    expect(buildResourceTypeDocument(custom, 'User', BASE)).toMatchObject({ schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA }, { schema: AXIS_USER_EXTENSION_SCHEMA }] });
    const users = custom.forResourceType('User');
    const patched = applyPatch({ schemas: [USER_SCHEMA], id: '1', userName: 'a' }, { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', value: { [`${AXIS_USER_EXTENSION_SCHEMA}:seats`]: '3', [`${AXIS_USER_EXTENSION_SCHEMA}:startDate`]: '2024-01-02T03:04:05Z' } }] }, users);
    expect(patched.resource[AXIS_USER_EXTENSION_SCHEMA]).toEqual({ seats: 3, startDate: '2024-01-02T03:04:05.000Z' });
    expect(evaluateFilter(parseFilter(`${AXIS_USER_EXTENSION_SCHEMA}:seats gt 2 and startDate lt "2025-01-01T00:00:00Z"`, users), patched.resource)).toBe(true);
  });

  it('rejects invalid attribute names at registration', () => {
    expect(() => registry.withExtension({ id: AXIS_USER_EXTENSION_SCHEMA, name: 'x', description: '', attributes: [defineAttribute('bad"name', 'string')] }, 'User')).toThrow(TypeError);
  });
});
