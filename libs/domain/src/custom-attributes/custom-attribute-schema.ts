import {
  AXIS_USER_EXTENSION_SCHEMA,
  type AttributeDefinition,
  createDefaultSchemaRegistry,
  defineAttribute,
  type ResourceSchema,
  type SchemaDefinition,
  type SchemaRegistry,
  valueConformsTo,
} from '@axis/scim';
import type { CustomAttribute, CustomAttributeDefinition } from './custom-attribute';

/**
 * The schemas a workspace's SCIM requests work against. `registry` / `reads` (discovery, GET,
 * filters, sorting, projection, and PATCH) knows every defined attribute, deprecated ones as
 * readOnly — so a PATCH may echo a deprecated value but not change it (400 mutability); `writes`
 * (POST, PUT) knows only the active ones, so a deprecated attribute in a body is ignored (and
 * listed) like any attribute no schema defines. Without definitions both are the defaults.
 */
export interface WorkspaceUserSchemas {
  readonly registry: SchemaRegistry;
  readonly reads: ResourceSchema;
  readonly writes: ResourceSchema;
}

const DEFAULT_REGISTRY = createDefaultSchemaRegistry();
const DEFAULT_SCHEMAS: WorkspaceUserSchemas = { registry: DEFAULT_REGISTRY, reads: DEFAULT_REGISTRY.forResourceType('User'), writes: DEFAULT_REGISTRY.forResourceType('User') };

export const CUSTOM_USER_EXTENSION_NAME = 'AxisSynapseUser';
export const DEPRECATED_DESCRIPTION_PREFIX = 'Deprecated: no longer accepted from the IdP; stored values stay readable.';

/** The SCIM attribute definition of a custom attribute (readWrite, returned by default, not unique). */
export function scimAttributeOf(definition: CustomAttributeDefinition, deprecated = false): AttributeDefinition {
  const description = deprecated ? `${DEPRECATED_DESCRIPTION_PREFIX} ${definition.description}`.trim() : definition.description;
  return defineAttribute(definition.name, definition.type, {
    multiValued: definition.multiValued,
    caseExact: definition.caseExact,
    required: deprecated ? false : definition.required,
    description,
    mutability: deprecated ? 'readOnly' : 'readWrite',
    ...(definition.canonicalValues.length > 0 ? { canonicalValues: definition.canonicalValues } : {}),
    ...(definition.type === 'reference' ? { referenceTypes: ['external'] } : {}),
  });
}

function extensionOf(attributes: AttributeDefinition[]): SchemaDefinition {
  return { id: AXIS_USER_EXTENSION_SCHEMA, name: CUSTOM_USER_EXTENSION_NAME, description: 'Custom user attributes defined by the workspace', attributes };
}

export function workspaceUserSchemas(attributes: Iterable<CustomAttribute>): WorkspaceUserSchemas {
  const all = [...attributes];
  if (all.length === 0) return DEFAULT_SCHEMAS;
  const registry = DEFAULT_REGISTRY.withExtension(extensionOf(all.map((attribute) => scimAttributeOf(attribute, attribute.deprecated))), 'User');
  const active = all.filter((attribute) => !attribute.deprecated);
  const writes = active.length === 0 ? DEFAULT_REGISTRY : DEFAULT_REGISTRY.withExtension(extensionOf(active.map((attribute) => scimAttributeOf(attribute))), 'User');
  return { registry, reads: registry.forResourceType('User'), writes: writes.forResourceType('User') };
}

/**
 * Whether a stored value satisfies a (changed) definition exactly as stored — `"42"` does not
 * satisfy an integer, a single value not a multi-valued attribute. A change that stored values
 * cannot satisfy is refused rather than leaving values of the wrong type behind.
 */
export function satisfiesDefinition(definition: CustomAttributeDefinition, value: unknown): boolean {
  return valueConformsTo(scimAttributeOf(definition), value);
}
