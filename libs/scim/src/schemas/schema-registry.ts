import { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './attribute-definition';
import {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA_DEFINITION,
  USER_RESOURCE_TYPE,
  USER_SCHEMA_DEFINITION,
} from './core-schemas';

/** An attribute path bound to its definition. `path` is the canonical spelling. */
export interface ResolvedAttribute {
  readonly schemaId: string;
  /** True when the attribute is stored inside the extension object keyed by `schemaId`. */
  readonly extension: boolean;
  readonly attribute: AttributeDefinition;
  readonly subAttribute: AttributeDefinition | undefined;
  readonly path: string;
}

export interface TopLevelAttribute {
  readonly schemaId: string;
  readonly extension: boolean;
  readonly attribute: AttributeDefinition;
}

export interface ExtensionBinding {
  readonly schema: SchemaDefinition;
  readonly required: boolean;
}

const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
const SCHEMA_URI = /^urn:[A-Za-z0-9._:-]+[A-Za-z0-9]$/;
const RESOLUTION_CACHE_LIMIT = 2048;

const subAttributeIndex = new WeakMap<AttributeDefinition, Map<string, AttributeDefinition>>();

/** Case-insensitive sub-attribute lookup (RFC 7643 §2.1: attribute names are case-insensitive). */
export function findSubAttribute(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  let index = subAttributeIndex.get(parent);
  if (index === undefined) {
    index = new Map((parent.subAttributes ?? []).map((sub) => [sub.name.toLowerCase(), sub]));
    subAttributeIndex.set(parent, index);
  }
  return index.get(name.toLowerCase());
}

/** The schemas of one resource type, indexed for case-insensitive path resolution. */
export class ResourceSchema {
  readonly coreSchema: SchemaDefinition;
  readonly extensions: readonly ExtensionBinding[];
  readonly topLevelAttributes: readonly TopLevelAttribute[];
  private readonly coreByName = new Map<string, TopLevelAttribute>();
  private readonly extensionByUri = new Map<string, { binding: ExtensionBinding; byName: Map<string, TopLevelAttribute> }>();
  private readonly resolutionCache = new Map<string, ResolvedAttribute | null>();

  constructor(
    readonly resourceType: ResourceTypeDefinition,
    coreSchema: SchemaDefinition,
    extensions: readonly ExtensionBinding[],
  ) {
    this.coreSchema = coreSchema;
    this.extensions = extensions;
    const all: TopLevelAttribute[] = [];
    for (const attribute of [...COMMON_ATTRIBUTES, ...coreSchema.attributes]) {
      const entry = { schemaId: coreSchema.id, extension: false, attribute };
      this.coreByName.set(attribute.name.toLowerCase(), entry);
      all.push(entry);
    }
    for (const binding of extensions) {
      const byName = new Map<string, TopLevelAttribute>();
      for (const attribute of binding.schema.attributes) {
        const entry = { schemaId: binding.schema.id, extension: true, attribute };
        byName.set(attribute.name.toLowerCase(), entry);
        all.push(entry);
      }
      this.extensionByUri.set(binding.schema.id.toLowerCase(), { binding, byName });
    }
    this.topLevelAttributes = all;
  }

  /** The extension bound to this resource type with that URI (case-insensitive), if any. */
  findExtension(uri: string): ExtensionBinding | undefined {
    return this.extensionByUri.get(uri.toLowerCase())?.binding;
  }

  isCoreSchemaUri(uri: string): boolean {
    return uri.toLowerCase() === this.coreSchema.id.toLowerCase();
  }

  /**
   * Resolves `attr`, `attr.sub`, `urn:…:attr` and `urn:…:attr.sub` (any letter case).
   * Unqualified names are looked up in the core schema first, then in the extensions in registration order.
   */
  resolve(path: string): ResolvedAttribute | undefined {
    const cached = this.resolutionCache.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const resolved = this.resolveUncached(path);
    if (this.resolutionCache.size >= RESOLUTION_CACHE_LIMIT) this.resolutionCache.clear();
    this.resolutionCache.set(path, resolved ?? null);
    return resolved;
  }

  /** Resolves a top-level attribute then a sub-attribute given separately (used by filters and PATCH). */
  resolveParts(schemaUri: string | undefined, attributeName: string, subAttributeName: string | undefined): ResolvedAttribute | undefined {
    let top: TopLevelAttribute | undefined;
    if (schemaUri !== undefined) {
      const lc = schemaUri.toLowerCase();
      if (lc === this.coreSchema.id.toLowerCase()) top = this.coreByName.get(attributeName.toLowerCase());
      else top = this.extensionByUri.get(lc)?.byName.get(attributeName.toLowerCase());
    } else {
      top = this.findUnqualified(attributeName);
    }
    if (top === undefined) return undefined;
    let subAttribute: AttributeDefinition | undefined;
    if (subAttributeName !== undefined) {
      if (top.attribute.type !== 'complex') return undefined;
      subAttribute = findSubAttribute(top.attribute, subAttributeName);
      if (subAttribute === undefined) return undefined;
    }
    const prefix = top.extension ? `${top.schemaId}:` : '';
    return {
      schemaId: top.schemaId,
      extension: top.extension,
      attribute: top.attribute,
      subAttribute,
      path: subAttribute ? `${prefix}${top.attribute.name}.${subAttribute.name}` : `${prefix}${top.attribute.name}`,
    };
  }

  /**
   * Splits a URN-qualified path into its schema URI and the rest; the URI is matched against
   * the known schemas because URIs themselves contain dots and colons.
   */
  splitSchemaUri(path: string): { schemaUri: string | undefined; rest: string } | undefined {
    if (path.length < 4 || path.slice(0, 4).toLowerCase() !== 'urn:') return { schemaUri: undefined, rest: path };
    const lc = path.toLowerCase();
    const candidates = [this.coreSchema.id, ...this.extensions.map((e) => e.schema.id)];
    let best: string | undefined;
    for (const id of candidates) {
      const idLc = id.toLowerCase();
      if ((lc === idLc || lc.startsWith(`${idLc}:`)) && (best === undefined || id.length > best.length)) best = id;
    }
    if (best === undefined) return undefined;
    return { schemaUri: best, rest: path.length > best.length ? path.slice(best.length + 1) : '' };
  }

  private findUnqualified(name: string): TopLevelAttribute | undefined {
    const lc = name.toLowerCase();
    const core = this.coreByName.get(lc);
    if (core !== undefined) return core;
    for (const { byName } of this.extensionByUri.values()) {
      const found = byName.get(lc);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private resolveUncached(path: string): ResolvedAttribute | undefined {
    const split = this.splitSchemaUri(path);
    if (split === undefined || split.rest === '') return undefined;
    const dot = split.rest.indexOf('.');
    const attributeName = dot < 0 ? split.rest : split.rest.slice(0, dot);
    const subName = dot < 0 ? undefined : split.rest.slice(dot + 1);
    if (subName !== undefined && (subName === '' || subName.includes('.'))) return undefined;
    return this.resolveParts(split.schemaUri, attributeName, subName);
  }
}

/**
 * Immutable collection of schemas and resource types. A workspace adds its own extension with
 * `withExtension`, which returns a new registry; nothing here is global.
 */
export class SchemaRegistry {
  private readonly schemasById = new Map<string, SchemaDefinition>();
  private readonly resourceTypesByName = new Map<string, ResourceTypeDefinition>();
  private readonly views = new Map<string, ResourceSchema>();

  constructor(
    readonly schemas: readonly SchemaDefinition[],
    readonly resourceTypes: readonly ResourceTypeDefinition[],
  ) {
    for (const schema of schemas) {
      assertValidSchema(schema);
      this.schemasById.set(schema.id.toLowerCase(), schema);
    }
    for (const resourceType of resourceTypes) {
      for (const uri of [resourceType.schema, ...resourceType.schemaExtensions.map((e) => e.schema)]) {
        if (!this.schemasById.has(uri.toLowerCase())) throw new TypeError(`Resource type ${resourceType.name} refers to unknown schema ${uri}`);
      }
      this.resourceTypesByName.set(resourceType.name.toLowerCase(), resourceType);
    }
  }

  getSchema(id: string): SchemaDefinition | undefined {
    return this.schemasById.get(id.toLowerCase());
  }

  getResourceType(name: string): ResourceTypeDefinition | undefined {
    return this.resourceTypesByName.get(name.toLowerCase());
  }

  /** The indexed view of one resource type ("User", "Group", any case). */
  forResourceType(name: string): ResourceSchema {
    const key = name.toLowerCase();
    let view = this.views.get(key);
    if (view === undefined) {
      const resourceType = this.resourceTypesByName.get(key);
      if (resourceType === undefined) throw new TypeError(`Unknown resource type ${name}`);
      const core = this.schemasById.get(resourceType.schema.toLowerCase()) as SchemaDefinition;
      const extensions = resourceType.schemaExtensions.map((e) => ({
        schema: this.schemasById.get(e.schema.toLowerCase()) as SchemaDefinition,
        required: e.required,
      }));
      view = new ResourceSchema(resourceType, core, extensions);
      this.views.set(key, view);
    }
    return view;
  }

  /** A new registry with `schema` added and attached as an extension of `resourceTypeName`. */
  withExtension(schema: SchemaDefinition, resourceTypeName: string, required = false): SchemaRegistry {
    const resourceTypes = this.resourceTypes.map((rt) =>
      rt.name.toLowerCase() === resourceTypeName.toLowerCase()
        ? { ...rt, schemaExtensions: [...rt.schemaExtensions.filter((e) => e.schema.toLowerCase() !== schema.id.toLowerCase()), { schema: schema.id, required }] }
        : rt,
    );
    const schemas = [...this.schemas.filter((s) => s.id.toLowerCase() !== schema.id.toLowerCase()), schema];
    return new SchemaRegistry(schemas, resourceTypes);
  }
}

function assertValidSchema(schema: SchemaDefinition): void {
  if (!SCHEMA_URI.test(schema.id)) throw new TypeError(`Invalid schema URI ${schema.id}`);
  const check = (attribute: AttributeDefinition, depth: number): void => {
    if (!ATTRIBUTE_NAME.test(attribute.name)) throw new TypeError(`Invalid attribute name ${attribute.name} in ${schema.id}`);
    if (attribute.subAttributes !== undefined) {
      if (depth > 0) throw new TypeError(`Sub-attribute ${attribute.name} of ${schema.id} cannot itself be complex`);
      for (const sub of attribute.subAttributes) check(sub, depth + 1);
    }
  };
  for (const attribute of schema.attributes) check(attribute, 0);
}

export function createDefaultSchemaRegistry(): SchemaRegistry {
  return new SchemaRegistry(
    [USER_SCHEMA_DEFINITION, GROUP_SCHEMA_DEFINITION, ENTERPRISE_USER_SCHEMA_DEFINITION],
    [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE],
  );
}
