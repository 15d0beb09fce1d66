import { scimErrors } from '../errors/scim-error';
import { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './attribute-definition';
import { SchemaRegistry } from './schema-registry';
import { LIST_RESPONSE_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from './schema-uris';

/** Largest page the service returns; also the cap applied to `count`. */
export const FILTER_MAX_RESULTS = 200;
export const BULK_MAX_OPERATIONS = 1000;
/** Bytes; a larger /Bulk body is answered with 413. */
export const BULK_MAX_PAYLOAD_SIZE = 1_048_576;

function trimBaseUrl(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
}

/** Attribute definition as the /Schemas document renders it: every characteristic, camelCase, no nulls. */
export function renderAttributeDefinition(attribute: AttributeDefinition): Record<string, unknown> {
  const rendered: Record<string, unknown> = {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
    caseExact: attribute.caseExact,
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.uniqueness,
  };
  if (attribute.canonicalValues !== undefined) rendered['canonicalValues'] = [...attribute.canonicalValues];
  if (attribute.type === 'reference') rendered['referenceTypes'] = [...(attribute.referenceTypes ?? ['external'])];
  if (attribute.subAttributes !== undefined) rendered['subAttributes'] = attribute.subAttributes.map(renderAttributeDefinition);
  return rendered;
}

export function buildSchemaResource(schema: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(renderAttributeDefinition),
    meta: { resourceType: 'Schema', location: `${trimBaseUrl(baseUrl)}/Schemas/${schema.id}` },
  };
}

export function buildResourceTypeResource(resourceType: ResourceTypeDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resourceType.name,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.schema,
    schemaExtensions: resourceType.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${trimBaseUrl(baseUrl)}/ResourceTypes/${resourceType.name}` },
  };
}

function listOf(resources: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: resources.length, itemsPerPage: resources.length, startIndex: 1, Resources: resources };
}

/** GET /Schemas */
export function buildSchemasDocument(registry: SchemaRegistry, baseUrl: string): Record<string, unknown> {
  return listOf(registry.schemas.map((schema) => buildSchemaResource(schema, baseUrl)));
}

/** GET /Schemas/{uri}; the URI matches case-insensitively. */
export function buildSchemaDocument(registry: SchemaRegistry, schemaUri: string, baseUrl: string): Record<string, unknown> {
  const schema = registry.getSchema(schemaUri);
  if (schema === undefined) throw scimErrors.notFound(`Schema ${schemaUri} not found`);
  return buildSchemaResource(schema, baseUrl);
}

/** GET /ResourceTypes */
export function buildResourceTypesDocument(registry: SchemaRegistry, baseUrl: string): Record<string, unknown> {
  return listOf(registry.resourceTypes.map((rt) => buildResourceTypeResource(rt, baseUrl)));
}

/** GET /ResourceTypes/{name} */
export function buildResourceTypeDocument(registry: SchemaRegistry, name: string, baseUrl: string): Record<string, unknown> {
  const resourceType = registry.getResourceType(name);
  if (resourceType === undefined) throw scimErrors.notFound(`Resource type ${name} not found`);
  return buildResourceTypeResource(resourceType, baseUrl);
}

/** What the serving product implements beyond this library's own features. */
export interface ServiceProviderFeatures {
  /** Whether the server answers `POST /Bulk`; the limits are advertised either way (Okta's spec test reads them). */
  readonly bulk: boolean;
  /** Bytes: the smaller of BULK_MAX_PAYLOAD_SIZE and the server's own body limit (default BULK_MAX_PAYLOAD_SIZE). */
  readonly bulkMaxPayloadSize?: number;
}

/** GET /ServiceProviderConfig: advertises exactly what the server implements. */
export function buildServiceProviderConfig(baseUrl: string, features: ServiceProviderFeatures = { bulk: false }): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: features.bulk, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: features.bulkMaxPayloadSize ?? BULK_MAX_PAYLOAD_SIZE },
    filter: { supported: true, maxResults: FILTER_MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with the workspace SCIM bearer token (Authorization: Bearer scim_…)',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${trimBaseUrl(baseUrl)}/ServiceProviderConfig` },
  };
}
