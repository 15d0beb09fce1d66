import { ScimError, scimErrors } from '../errors/scim-error';
import { FilterNode } from '../filter/filter-ast';
import { FilterParser, withSubAttribute } from '../filter/filter-parser';
import { AttributeDefinition } from '../schemas/attribute-definition';
import { ExtensionBinding, findSubAttribute, ResolvedAttribute, ResourceSchema } from '../schemas/schema-registry';

/** A PATCH target (RFC 7644 §3.5.2 PATH grammar plus a bare extension URN). */
export type PatchTarget =
  | { readonly kind: 'extension'; readonly binding: ExtensionBinding }
  | {
      readonly kind: 'attribute';
      /** Top-level attribute, with its sub-attribute when the path is `attr.sub`. */
      readonly attribute: ResolvedAttribute;
      /** `attr[filter]`: the value filter, relative to one element. */
      readonly filter?: FilterNode;
      /** `attr[filter].sub`: the sub-attribute set in the matched elements. */
      readonly filterSubAttribute?: AttributeDefinition;
    };

const PATH_CACHE_LIMIT = 1024;
const pathCache = new WeakMap<ResourceSchema, Map<string, PatchTarget>>();

/**
 * Parses and binds a PATCH path; every failure is ScimError invalidPath. IdPs repeat the same few
 * paths, so parsed targets (immutable) are cached per resource schema.
 */
export function parsePatchPath(path: string, schema: ResourceSchema): PatchTarget {
  let cache = pathCache.get(schema);
  if (cache === undefined) {
    cache = new Map();
    pathCache.set(schema, cache);
  }
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const target = parseUncached(path, schema);
  if (cache.size >= PATH_CACHE_LIMIT) cache.clear();
  cache.set(path, target);
  return target;
}

function parseUncached(path: string, schema: ResourceSchema): PatchTarget {
  const trimmed = path.trim();
  const bracket = trimmed.indexOf('[');
  if (bracket < 0) {
    const split = schema.splitSchemaUri(trimmed);
    if (split === undefined) throw scimErrors.invalidPath(`Unknown schema in path "${path}"`);
    if (split.schemaUri !== undefined && split.rest === '') {
      const binding = schema.findExtension(split.schemaUri);
      if (binding === undefined) throw scimErrors.invalidPath(`Path "${path}" must name an attribute`);
      return { kind: 'extension', binding };
    }
    const attribute = schema.resolve(trimmed);
    if (attribute === undefined) throw scimErrors.invalidPath(`Unknown attribute path "${path}"`);
    return { kind: 'attribute', attribute };
  }
  const attribute = schema.resolve(trimmed.slice(0, bracket));
  if (attribute === undefined || attribute.subAttribute !== undefined || attribute.attribute.type !== 'complex' || !attribute.attribute.multiValued) {
    throw scimErrors.invalidPath(`"${trimmed.slice(0, bracket)}" is not a multi-valued complex attribute`);
  }
  const parser = new FilterParser(trimmed, schema, scimErrors.invalidPath);
  parser.pos = bracket + 1;
  let filter: FilterNode;
  try {
    filter = parser.parseValueFilter(attribute);
  } catch (error) {
    if (error instanceof ScimError) throw error;
    throw scimErrors.invalidPath(`Invalid filter in path "${path}"`);
  }
  if (trimmed.charCodeAt(parser.pos) !== 93 /* ] */) throw parser.error('expected "]"');
  parser.pos++;
  let filterSubAttribute: AttributeDefinition | undefined;
  if (parser.pos < trimmed.length) {
    if (trimmed.charCodeAt(parser.pos) !== 46 /* . */) throw parser.error('unexpected input after "]"');
    parser.pos++;
    const name = parser.readWord();
    filterSubAttribute = name === '' ? undefined : findSubAttribute(attribute.attribute, name);
    if (filterSubAttribute === undefined || parser.pos !== trimmed.length) throw scimErrors.invalidPath(`Unknown sub-attribute in path "${path}"`);
  }
  return { kind: 'attribute', attribute, filter, ...(filterSubAttribute ? { filterSubAttribute } : {}) };
}

/** `attr`, `attr.sub`, `urn:…:attr` or `urn:…:attr.sub` (RFC 7644 ATTRPATH), before any value filter. */
const ATTRIBUTE_PATH = /^(?:urn:[A-Za-z0-9._:-]+:)?[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z$][A-Za-z0-9_$-]*)?$/;

/**
 * Whether `path` is well formed but names an attribute the schema does not define (an unknown
 * name, sub-attribute or extension URN) — as opposed to a malformed path. Used to ignore
 * mis-mapped IdP attributes rather than fail the whole request.
 */
export function isUnknownAttributePath(path: string, schema: ResourceSchema): boolean {
  const trimmed = path.trim();
  const bracket = trimmed.indexOf('[');
  const base = bracket < 0 ? trimmed : trimmed.slice(0, bracket);
  if (!ATTRIBUTE_PATH.test(base) || schema.resolve(base) !== undefined) return false;
  const split = schema.splitSchemaUri(base);
  // A bare known URN (`urn:…:enterprise:2.0:User`) is a target, not an unknown attribute.
  return !(split !== undefined && split.schemaUri !== undefined && split.rest === '');
}

/** The canonical attribute path of a target, as reported in `changedAttributes`. */
export function describeTarget(target: PatchTarget): string {
  if (target.kind === 'extension') return target.binding.schema.id;
  if (target.filterSubAttribute) return withSubAttribute(target.attribute, target.filterSubAttribute).path;
  return target.attribute.path;
}
