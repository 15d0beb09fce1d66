import { ScimError, scimErrors } from '../errors/scim-error';
import { parseDateTime } from '../filter/filter-parser';
import { AttributeDefinition } from '../schemas/attribute-definition';
import { findSubAttribute } from '../schemas/schema-registry';
import { isJsonObject, JsonObject, jsonEqual } from '../schemas/resource-access';

/** Marks "the client asked for no value": null, an empty string for a reference-like complex, an empty list. */
export const REMOVE = Symbol('remove');
export type Coerced = unknown | typeof REMOVE;

export interface CoercionOptions {
  /** Drop sub-attributes the client may not write (readOnly) instead of keeping them. */
  readonly dropReadOnlySubAttributes: boolean;
  /** Called with `path.sub` for each sub-attribute the definition does not have (it is dropped); may throw to refuse it. */
  readonly onUnknownSubAttribute?: (path: string) => void;
}

const DEFAULT_OPTIONS: CoercionOptions = { dropReadOnlySubAttributes: true };

/**
 * Converts a client value to the attribute's type, accepting what IdPs really send: "True"/"False"
 * for booleans, numbers for strings, a bare string or one-element list for a single complex
 * attribute with a `value` (Entra's `manager`), a single object for a multi-valued attribute.
 * Unknown sub-attributes are dropped (and passed to `onUnknownSubAttribute`). Throws ScimError invalidValue otherwise.
 */
export function coerceAttributeValue(definition: AttributeDefinition, value: unknown, path: string, options: CoercionOptions = DEFAULT_OPTIONS): Coerced {
  if (value === null || value === undefined) return REMOVE;
  if (definition.multiValued) {
    const list = Array.isArray(value) ? value : [value];
    const elements: unknown[] = [];
    for (const item of list) {
      const element = coerceSingle(definition, item, path, options);
      if (element !== REMOVE) elements.push(element);
    }
    return elements.length === 0 ? REMOVE : elements;
  }
  return coerceSingle(definition, value, path, options);
}

/** One value (or one element of a multi-valued attribute). */
export function coerceSingle(definition: AttributeDefinition, value: unknown, path: string, options: CoercionOptions = DEFAULT_OPTIONS): Coerced {
  if (value === null || value === undefined) return REMOVE;
  if (definition.type === 'complex') return coerceComplex(definition, value, path, options);
  return coerceSimple(definition, value, path);
}

export function coerceSimple(definition: AttributeDefinition, value: unknown, path: string): Coerced {
  if (value === null || value === undefined) return REMOVE;
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      throw scimErrors.invalidValue(`"${path}" must be a string`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const lc = value.trim().toLowerCase();
        if (lc === 'true') return true;
        if (lc === 'false') return false;
      }
      throw scimErrors.invalidValue(`"${path}" must be a boolean`);
    case 'integer':
    case 'decimal': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(number) || (definition.type === 'integer' && !Number.isInteger(number))) {
        throw scimErrors.invalidValue(`"${path}" must be ${definition.type === 'integer' ? 'an integer' : 'a number'}`);
      }
      return number;
    }
    case 'dateTime': {
      const canonical = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (canonical === undefined) throw scimErrors.invalidValue(`"${path}" must be an ISO-8601 date-time`);
      return canonical;
    }
    case 'complex':
      throw scimErrors.invalidValue(`"${path}" must be an object`);
  }
}

function coerceComplex(definition: AttributeDefinition, value: unknown, path: string, options: CoercionOptions): Coerced {
  let source = value;
  const valueSub = findSubAttribute(definition, 'value');
  if (!definition.multiValued && Array.isArray(source)) {
    // Entra's tutorial sends `manager` as `[{"value": …}]`.
    if (source.length === 0) return REMOVE;
    if (source.length > 1) throw scimErrors.invalidValue(`"${path}" is single-valued`);
    source = source[0];
  }
  if (typeof source === 'string' && valueSub !== undefined) {
    // Entra sends `manager` as the manager's id; an empty string means "no manager".
    if (source === '') return REMOVE;
    source = { value: source };
  }
  if (source === null || source === undefined) return REMOVE;
  if (!isJsonObject(source)) throw scimErrors.invalidValue(`"${path}" must be an object`);
  const result: JsonObject = {};
  let present = false;
  for (const key of Object.keys(source)) {
    const sub = findSubAttribute(definition, key);
    if (sub === undefined) {
      options.onUnknownSubAttribute?.(`${path}.${key}`);
      continue;
    }
    if (options.dropReadOnlySubAttributes && sub.mutability === 'readOnly' && definition.mutability !== 'readOnly') continue;
    const coerced = coerceSimple(sub, source[key], `${path}.${sub.name}`);
    if (coerced === REMOVE) continue;
    result[sub.name] = coerced;
    if (coerced !== '') present = true;
  }
  return present ? result : REMOVE;
}

/**
 * Whether a stored value already is what this definition accepts, as stored: e.g. `"42"` does not
 * conform to an integer attribute (it would be coerced, not kept), `[1]` not to a single-valued one.
 * Used to refuse a definition change that existing values cannot satisfy.
 */
export function valueConformsTo(definition: AttributeDefinition, value: unknown): boolean {
  try {
    const coerced = coerceAttributeValue(definition, value, definition.name);
    return coerced !== REMOVE && jsonEqual(coerced, value);
  } catch (error) {
    if (error instanceof ScimError) return false;
    throw error;
  }
}
