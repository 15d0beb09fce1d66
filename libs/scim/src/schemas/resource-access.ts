import { ResolvedAttribute } from './schema-registry';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The own key of `object` naming `name` case-insensitively, preferring the exact spelling.
 * Only own properties count, so `__proto__`-style keys never reach the prototype.
 */
export function findKey(object: JsonObject, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(object, name)) return name;
  const lc = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === lc) return key;
  return undefined;
}

export function getProperty(object: JsonObject, name: string): unknown {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

/** The object holding the attribute: the resource itself, or its extension object. */
export function getAttributeContainer(resource: JsonObject, attribute: Pick<ResolvedAttribute, 'extension' | 'schemaId'>): JsonObject | undefined {
  if (!attribute.extension) return resource;
  const extension = getProperty(resource, attribute.schemaId);
  return isJsonObject(extension) ? extension : undefined;
}

/** Value of the top-level attribute (ignoring any sub-attribute) in a resource. */
export function getAttributeValue(resource: JsonObject, attribute: ResolvedAttribute): unknown {
  const container = getAttributeContainer(resource, attribute);
  return container === undefined ? undefined : getProperty(container, attribute.attribute.name);
}

/** Structural equality for JSON values; object key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a as JsonObject);
  const bObject = b as JsonObject;
  if (aKeys.length !== Object.keys(bObject).length) return false;
  for (const key of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(bObject, key)) return false;
    if (!jsonEqual((a as JsonObject)[key], bObject[key])) return false;
  }
  return true;
}

/** Deep copy of a JSON value made of own enumerable data properties only. */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: JsonObject = {};
  for (const key of Object.keys(value as JsonObject)) {
    const inner = cloneJson((value as JsonObject)[key]);
    // Plain assignment is much faster; only `__proto__` would hit the prototype setter.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: inner, enumerable: true, writable: true, configurable: true });
    else copy[key] = inner;
  }
  return copy as T;
}
