import { guardScim, scimErrors } from '../errors/scim-error';
import { validateSchemas } from '../schemas/schemas-validator';
import { diffAttributes } from '../patch/change-detection';
import { setKey } from '../patch/resource-draft';
import { CoercionOptions, coerceAttributeValue, coerceSimple, REMOVE } from '../patch/value-coercion';
import { AttributeDefinition } from '../schemas/attribute-definition';
import { ResolvedAttribute, ResourceSchema, TopLevelAttribute } from '../schemas/schema-registry';
import { UnknownAttributePolicy, UnknownAttributes } from '../schemas/unknown-attributes';
import { getAttributeValue, getProperty, isJsonObject, JsonObject, jsonEqual } from '../schemas/resource-access';
import { ENTERPRISE_USER_SCHEMA, ONELOGIN_ENTERPRISE_USER_SCHEMA } from '../schemas/schema-uris';
import { assertWithinResourceLimits } from '../limits/resource-limits';

export interface ReplaceOptions {
  /**
   * Body keys and sub-attributes naming no known attribute: ignored and reported (default) or
   * rejected with invalidPath naming the first.
   */
  readonly unknownAttributes?: UnknownAttributePolicy;
}

export interface ReplaceResult {
  readonly resource: JsonObject;
  /** Canonical paths whose value changed, as for PATCH. */
  readonly changedAttributes: readonly string[];
  /** Body attributes the schema does not define, as the body spelled them, each once (see PatchResult). */
  readonly ignoredAttributes: readonly string[];
}

/** A POST body read against the schema: the new resource and what was ignored. */
export interface NewResourceResult {
  readonly resource: JsonObject;
  readonly ignoredAttributes: readonly string[];
}

function keyOf(attribute: TopLevelAttribute): string {
  return `${attribute.extension ? attribute.schemaId.toLowerCase() : ''}|${attribute.attribute.name.toLowerCase()}`;
}

/** A top-level attribute with what every PUT and POST needs of it, computed once per schema. */
interface AttributeSlot {
  readonly attribute: TopLevelAttribute;
  /** Its canonical path: `name`, or `urn:…:name` for an extension attribute. */
  readonly path: string;
  /** Its key in the map `readBody` returns. */
  readonly key: string;
  /** Its address in a resource, for `getAttributeValue`. */
  readonly resolved: ResolvedAttribute;
}

const slotsBySchema = new WeakMap<ResourceSchema, readonly AttributeSlot[]>();

/** Every request walks the schema's attributes: their paths and keys are built once, not per request. */
function attributeSlotsOf(schema: ResourceSchema): readonly AttributeSlot[] {
  let slots = slotsBySchema.get(schema);
  if (!slots) {
    slots = schema.topLevelAttributes.map((attribute) => {
      const path = pathOf(attribute);
      return { attribute, path, key: keyOf(attribute), resolved: { ...attribute, subAttribute: undefined, path } };
    });
    slotsBySchema.set(schema, slots);
  }
  return slots;
}

interface ProvidedValue {
  readonly attribute: TopLevelAttribute;
  value: unknown;
}

/** Reads a resource body's attributes (top-level, extension objects, lenient dotted keys) into coerced values. */
function readBody(body: JsonObject, schema: ResourceSchema, unknownAttributes: UnknownAttributes): Map<string, ProvidedValue> {
  const provided = new Map<string, ProvidedValue>();
  const unknown = (key: string): void => unknownAttributes.found(key);
  const take = (path: string, value: unknown): void => {
    const resolved = schema.resolve(path);
    if (resolved === undefined) return unknown(path);
    const top: TopLevelAttribute = { schemaId: resolved.schemaId, extension: resolved.extension, attribute: resolved.attribute };
    const key = keyOf(top);
    if (resolved.subAttribute === undefined) {
      provided.set(key, { attribute: top, value });
      return;
    }
    // Dotted keys (`name.givenName`) are not RFC, but the same IdPs send them in PATCH values.
    const entry = provided.get(key) ?? { attribute: top, value: {} };
    if (!isJsonObject(entry.value)) return;
    entry.value = { ...entry.value, [resolved.subAttribute.name]: value };
    provided.set(key, entry);
  };
  for (const bodyKey of Object.keys(body)) {
    const lc = bodyKey.toLowerCase();
    if (lc === 'schemas') continue;
    const value = body[bodyKey];
    const key = lc === ONELOGIN_ENTERPRISE_USER_SCHEMA ? ENTERPRISE_USER_SCHEMA : bodyKey;
    const split = schema.splitSchemaUri(key);
    if (split !== undefined && split.schemaUri !== undefined && split.rest === '') {
      if (value === null || value === undefined) continue;
      if (!isJsonObject(value)) throw scimErrors.invalidValue(`"${bodyKey}" must be an object`);
      for (const inner of Object.keys(value)) take(`${split.schemaUri}:${inner}`, value[inner]);
      continue;
    }
    if (split === undefined) {
      // An extension this schema does not have: report its attributes, which is what was mapped.
      const inner = isJsonObject(value) ? Object.keys(value) : [];
      if (inner.length === 0) unknown(bodyKey);
      for (const name of inner) unknown(`${bodyKey}:${name}`);
      continue;
    }
    take(key, value);
  }
  return provided;
}

function coerceTop(definition: AttributeDefinition, value: unknown, path: string, options: CoercionOptions): unknown {
  const coerced = definition.type === 'complex' || definition.multiValued ? coerceAttributeValue(definition, value, path, options) : coerceSimple(definition, value, path);
  if (coerced !== REMOVE && definition.multiValued && definition.subAttributes?.some((s) => s.name === 'primary')) {
    const list = coerced as JsonObject[];
    let seen = false;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]['primary'] !== true) continue;
      if (seen) list[i]['primary'] = false;
      seen = true;
    }
  }
  return coerced;
}

/**
 * Read-only sub-attributes are maintained by the server (e.g. `manager.displayName`): a PUT keeps
 * them as long as the value still points at the same referent.
 */
function keepServerSubAttributes(definition: AttributeDefinition, before: unknown, next: unknown): unknown {
  if (definition.type !== 'complex' || definition.multiValued || !isJsonObject(before) || !isJsonObject(next)) return next;
  const readOnly = (definition.subAttributes ?? []).filter((sub) => sub.mutability === 'readOnly');
  if (readOnly.length === 0 || !jsonEqual(getProperty(before, 'value'), getProperty(next, 'value'))) return next;
  const kept: JsonObject = { ...next };
  for (const sub of readOnly) {
    const value = getProperty(before, sub.name);
    if (value !== undefined) kept[sub.name] = value;
  }
  return kept;
}

function pathOf(attribute: TopLevelAttribute): string {
  return attribute.extension ? `${attribute.schemaId}:${attribute.attribute.name}` : attribute.attribute.name;
}

/**
 * Builds the resource a PUT (or, with `existing` empty, a POST) produces: the body's readWrite
 * values replace everything; readOnly values (`id`, `meta`, `groups`) are taken from `existing`
 * whatever the body says (echoes of a prior GET are fine); immutable values may be set once but
 * not changed (400 mutability); writeOnly values left out are kept.
 */
function buildResource(existing: JsonObject, body: unknown, schema: ResourceSchema, unknownAttributes: UnknownAttributes): JsonObject {
  validateSchemas(body, schema.coreSchema.id);
  const provided = readBody(body as JsonObject, schema, unknownAttributes);
  const coercion: CoercionOptions = { dropReadOnlySubAttributes: true, onUnknownSubAttribute: (path) => unknownAttributes.found(path) };
  const result: JsonObject = { schemas: [schema.coreSchema.id] };
  const listed = new Set<string>();
  // A POST has no existing resource: nothing to look up for the attributes the body leaves out.
  const hasExisting = Object.keys(existing).length > 0;
  for (const { attribute, path, key, resolved } of attributeSlotsOf(schema)) {
    const definition = attribute.attribute;
    const before = hasExisting ? getAttributeValue(existing, resolved) : undefined;
    const entry = provided.get(key);
    if (entry === undefined && before === undefined) {
      if (definition.required) throw scimErrors.invalidValue(`"${path}" is required`);
      continue;
    }
    let value: unknown;
    switch (definition.mutability) {
      case 'readOnly':
        value = before;
        break;
      case 'immutable': {
        const next = entry === undefined ? REMOVE : coerceTop(definition, entry.value, path, coercion);
        if (next === REMOVE) value = before;
        else if (before !== undefined && before !== null && !jsonEqual(before, next)) throw scimErrors.mutability(`"${path}" is immutable`);
        else value = next;
        break;
      }
      case 'writeOnly': {
        const next = entry === undefined ? REMOVE : coerceTop(definition, entry.value, path, coercion);
        value = next === REMOVE ? before : next;
        break;
      }
      case 'readWrite': {
        const next = entry === undefined ? REMOVE : coerceTop(definition, entry.value, path, coercion);
        value = next === REMOVE ? undefined : keepServerSubAttributes(definition, before, next);
        break;
      }
    }
    if (value === undefined || value === REMOVE) {
      if (definition.required) throw scimErrors.invalidValue(`"${path}" is required`);
      continue;
    }
    if (attribute.extension) {
      let container = getProperty(result, attribute.schemaId);
      if (!isJsonObject(container)) {
        container = {};
        result[attribute.schemaId] = container;
        if (!listed.has(attribute.schemaId)) {
          (result['schemas'] as string[]).push(attribute.schemaId);
          listed.add(attribute.schemaId);
        }
      }
      setKey(container as JsonObject, definition.name, value);
    } else {
      result[definition.name] = value;
    }
  }
  for (const binding of schema.extensions) {
    if (binding.required && !listed.has(binding.schema.id)) throw scimErrors.invalidValue(`Extension ${binding.schema.id} is required`);
  }
  return result;
}

/**
 * A PUT body as the edge accepts it: a JSON object naming the resource's core schema. What it may
 * change is decided against the stored resource (`replaceResource`).
 */
export function normalizeReplaceRequest(body: unknown, coreSchemaId: string): JsonObject {
  return guardScim(() => {
    if (!isJsonObject(body)) throw scimErrors.invalidSyntax('PUT body must be a JSON object');
    validateSchemas(body, coreSchemaId);
    return body;
  });
}

/** PUT /{resource}/{id}: replace semantics with RFC 7643 mutability rules; reports changed attributes. */
export function replaceResource(existing: JsonObject, body: unknown, schema: ResourceSchema, options: ReplaceOptions = {}): ReplaceResult {
  return guardScim(() => {
    const unknown = new UnknownAttributes(options.unknownAttributes ?? 'ignore');
    const resource = buildResource(existing, body, schema, unknown);
    assertWithinResourceLimits(resource, schema, existing);
    return { resource, changedAttributes: diffAttributes(existing, resource, schema.topLevelAttributes), ignoredAttributes: [...unknown.names] };
  });
}

/**
 * POST body → normalised resource (canonical names, coerced values, readOnly values dropped).
 * The caller assigns `id` and `meta`.
 */
export function normalizeNewResource(body: unknown, schema: ResourceSchema, options: ReplaceOptions = {}): JsonObject {
  return readNewResource(body, schema, options).resource;
}

/** As `normalizeNewResource`, also reporting the body's attributes the schema does not define. */
export function readNewResource(body: unknown, schema: ResourceSchema, options: ReplaceOptions = {}): NewResourceResult {
  return guardScim(() => {
    const unknown = new UnknownAttributes(options.unknownAttributes ?? 'ignore');
    const resource = buildResource({}, body, schema, unknown);
    assertWithinResourceLimits(resource, schema);
    return { resource, ignoredAttributes: [...unknown.names] };
  });
}
