import { AttributeDefinition } from '../schemas/attribute-definition';
import { findSubAttribute, ResourceSchema, TopLevelAttribute } from '../schemas/schema-registry';
import { findKey, isJsonObject, JsonObject } from '../schemas/resource-access';

export interface ProjectionRequest {
  /** Comma-separated string (query parameter) or list (SearchRequest). */
  readonly attributes?: string | readonly string[];
  readonly excludedAttributes?: string | readonly string[];
}

/** Per top-level attribute: the whole attribute, or only some sub-attributes (lowercased names). */
type Selection = Map<string, 'all' | Set<string>>;

function keyOf(attribute: TopLevelAttribute): string {
  return `${attribute.extension ? attribute.schemaId.toLowerCase() : ''}|${attribute.attribute.name.toLowerCase()}`;
}

function splitList(list: string | readonly string[] | undefined): string[] {
  if (list === undefined) return [];
  const items = typeof list === 'string' ? list.split(',') : list.flatMap((item) => (typeof item === 'string' ? item.split(',') : []));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** Reads an attribute list; unknown names are ignored, `emails[type eq "work"]` counts as `emails`. */
function parseSelection(list: string | readonly string[] | undefined, schema: ResourceSchema): Selection | undefined {
  const items = splitList(list);
  if (items.length === 0) return undefined;
  const selection: Selection = new Map();
  const select = (attribute: TopLevelAttribute, sub: AttributeDefinition | undefined): void => {
    const key = keyOf(attribute);
    const current = selection.get(key);
    if (sub === undefined) selection.set(key, 'all');
    else if (current === undefined) selection.set(key, new Set([sub.name.toLowerCase()]));
    else if (current !== 'all') current.add(sub.name.toLowerCase());
  };
  for (const raw of items) {
    const bracket = raw.indexOf('[');
    const close = raw.lastIndexOf(']');
    const item = bracket < 0 ? raw : raw.slice(0, bracket) + (close > bracket ? raw.slice(close + 1) : '');
    const split = schema.splitSchemaUri(item);
    if (split === undefined) continue;
    if (split.schemaUri !== undefined && split.rest === '') {
      const binding = schema.findExtension(split.schemaUri);
      const attributes = binding?.schema.attributes ?? (schema.isCoreSchemaUri(split.schemaUri) ? schema.coreSchema.attributes : []);
      for (const attribute of attributes) select({ schemaId: split.schemaUri, extension: binding !== undefined, attribute }, undefined);
      continue;
    }
    const resolved = schema.resolve(item);
    if (resolved !== undefined) select(resolved, resolved.subAttribute);
  }
  return selection;
}

/**
 * Applies `attributes` / `excludedAttributes` and the `returned` characteristic (RFC 7643 §7,
 * RFC 7644 §3.9): `id` and `schemas` always, `password` never, `request` attributes only when
 * asked for. Unknown keys of the resource are kept unless an `attributes` list is given.
 */
export function projectResource(resource: JsonObject, schema: ResourceSchema, request: ProjectionRequest = {}): JsonObject {
  const included = parseSelection(request.attributes, schema);
  const excluded = included === undefined ? parseSelection(request.excludedAttributes, schema) : undefined;
  const out: JsonObject = {};
  for (const key of Object.keys(resource)) {
    const value = resource[key];
    if (key.toLowerCase() === 'schemas') {
      out[key] = value;
      continue;
    }
    const binding = schema.findExtension(key);
    if (binding !== undefined) {
      if (!isJsonObject(value)) continue;
      const projected: JsonObject = {};
      for (const attribute of binding.schema.attributes) {
        const inner = findKey(value, attribute.name);
        if (inner === undefined) continue;
        const kept = projectAttribute({ schemaId: binding.schema.id, extension: true, attribute }, value[inner], included, excluded);
        if (kept !== undefined) projected[inner] = kept;
      }
      if (Object.keys(projected).length > 0) out[key] = projected;
      continue;
    }
    const resolved = schema.resolve(key);
    if (resolved === undefined || resolved.extension || resolved.subAttribute !== undefined) {
      if (included === undefined) out[key] = value;
      continue;
    }
    const kept = projectAttribute(resolved, value, included, excluded);
    if (kept !== undefined) out[key] = kept;
  }
  if (Array.isArray(out['schemas'])) {
    // An extension projected away is no longer listed.
    out['schemas'] = (out['schemas'] as unknown[]).filter((uri) => typeof uri !== 'string' || schema.findExtension(uri) === undefined || findKey(out, uri) !== undefined);
  }
  return out;
}

function projectAttribute(attribute: TopLevelAttribute, value: unknown, included: Selection | undefined, excluded: Selection | undefined): unknown {
  const definition = attribute.attribute;
  if (definition.returned === 'never') return undefined;
  const key = keyOf(attribute);
  if (definition.returned === 'always') return projectSubAttributes(definition, value, undefined, undefined);
  if (included !== undefined) {
    const wanted = included.get(key);
    if (wanted === undefined) return undefined;
    return projectSubAttributes(definition, value, wanted === 'all' ? undefined : wanted, undefined);
  }
  if (definition.returned === 'request') return undefined;
  const unwanted = excluded?.get(key);
  if (unwanted === 'all') return undefined;
  const projected = projectSubAttributes(definition, value, undefined, unwanted);
  return projected;
}

/** Keeps the wanted sub-attributes of a complex value (or of each element), honouring their `returned`. */
function projectSubAttributes(definition: AttributeDefinition, value: unknown, wanted: Set<string> | undefined, unwanted: Set<string> | undefined): unknown {
  if (definition.type !== 'complex') return value;
  const projectObject = (object: unknown): unknown => {
    if (!isJsonObject(object)) return object;
    const out: JsonObject = {};
    for (const key of Object.keys(object)) {
      const sub = findSubAttribute(definition, key);
      const lc = key.toLowerCase();
      if (sub === undefined) {
        if (wanted === undefined && !unwanted?.has(lc)) out[key] = object[key];
        continue;
      }
      if (sub.returned === 'never') continue;
      if (sub.returned !== 'always') {
        if (wanted !== undefined && !wanted.has(lc)) continue;
        if (wanted === undefined && sub.returned === 'request') continue;
        if (unwanted?.has(lc)) continue;
      }
      out[key] = object[key];
    }
    return out;
  };
  if (Array.isArray(value)) {
    const elements = value.map(projectObject).filter((element) => !isJsonObject(element) || Object.keys(element).length > 0);
    return elements.length === 0 && value.length > 0 ? undefined : elements;
  }
  const projected = projectObject(value);
  return isJsonObject(projected) && Object.keys(projected).length === 0 ? undefined : projected;
}
