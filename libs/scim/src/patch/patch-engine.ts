import { guardScim, ScimError, scimErrors } from '../errors/scim-error';
import { FilterNode } from '../filter/filter-ast';
import { evaluateElementFilter } from '../filter/filter-evaluator';
import { AttributeDefinition } from '../schemas/attribute-definition';
import { ExtensionBinding, findSubAttribute, ResolvedAttribute, ResourceSchema } from '../schemas/schema-registry';
import { getProperty, isJsonObject, JsonObject, jsonEqual } from '../schemas/resource-access';
import { diffAttributes } from './change-detection';
import { isUnknownAttributePath, parsePatchPath, PatchTarget } from './patch-path';
import { normalizePatchRequest, PatchOperation, PatchOperationName } from './patch-request';
import { deleteKey, ResourceDraft, setKey } from './resource-draft';
import { Coerced, CoercionOptions, coerceAttributeValue, coerceSimple, REMOVE } from './value-coercion';
import { assertWithinResourceLimits } from '../limits/resource-limits';
import { UnknownAttributePolicy, UnknownAttributes } from '../schemas/unknown-attributes';

export interface PatchOptions {
  /**
   * Keys of a pathless value, and sub-attributes inside a value, that name no known attribute:
   * ignored and reported (default) or rejected with invalidPath naming the first.
   */
  readonly unknownAttributes?: UnknownAttributePolicy;
  /**
   * An operation whose `path` is a well-formed attribute path naming no known attribute (a
   * mis-mapped `urn:…:User:costCentre`): rejected with invalidPath (default, RFC 7644) or ignored.
   * Malformed paths are invalidPath either way.
   */
  readonly unknownPaths?: UnknownAttributePolicy;
}

export interface PatchResult {
  /** The patched resource. Unchanged parts are shared with the input: treat both as immutable. */
  readonly resource: JsonObject;
  /** Canonical paths whose value really changed (`active`, `name.givenName`, `emails`, `urn:…:User:department`); empty for a no-op. */
  readonly changedAttributes: readonly string[];
  /** Attributes the request named that the schema does not define, as the request spelled them, each once. */
  readonly ignoredAttributes: readonly string[];
}

/**
 * Applies a SCIM PatchOp body (RFC 7644 §3.5.2) to a resource, atomically: either every
 * operation applies or a ScimError is thrown and nothing changes. Accepts the IdP dialects
 * described in the README. Throws only ScimError.
 */
export function applyPatch(resource: JsonObject, body: unknown, schema: ResourceSchema, options: PatchOptions = {}): PatchResult {
  return guardScim(() => {
    const operations = normalizePatchRequest(body);
    return applyPatchOperations(resource, operations, schema, options);
  });
}

/** As `applyPatch`, for operations already normalised with `normalizePatchRequest`. */
export function applyPatchOperations(resource: JsonObject, operations: readonly PatchOperation[], schema: ResourceSchema, options: PatchOptions = {}): PatchResult {
  return guardScim(() => {
    const ignored = new Set<string>();
    const engine = new PatchEngine(
      new ResourceDraft(resource, schema),
      schema,
      new UnknownAttributes(options.unknownAttributes ?? 'ignore', ignored),
      new UnknownAttributes(options.unknownPaths ?? 'reject', ignored),
    );
    for (const operation of operations) engine.apply(operation);
    const draft = engine.draft;
    assertWithinResourceLimits(draft.root, schema, resource);
    return { resource: draft.root, changedAttributes: diffAttributes(resource, draft.root, draft.touched.values()), ignoredAttributes: [...ignored] };
  });
}

function isMeta(attribute: ResolvedAttribute): boolean {
  return !attribute.extension && attribute.attribute.name === 'meta';
}

class PatchEngine {
  /** How values are read: unknown sub-attributes are reported like unknown keys. */
  private readonly coercion: CoercionOptions;

  constructor(
    readonly draft: ResourceDraft,
    private readonly schema: ResourceSchema,
    /** Unknown keys of pathless values and sub-attributes inside values. */
    private readonly unknownAttributes: UnknownAttributes,
    /** Well-formed paths naming no attribute. */
    private readonly unknownPaths: UnknownAttributes,
  ) {
    this.coercion = { dropReadOnlySubAttributes: true, onUnknownSubAttribute: (path) => unknownAttributes.found(path) };
  }

  apply(operation: PatchOperation): void {
    if (operation.path === undefined) {
      if (operation.op === 'remove') throw scimErrors.noTarget('"remove" requires a "path"');
      if (!isJsonObject(operation.value)) throw scimErrors.invalidValue(`"${operation.op}" without a path needs an object "value"`);
      for (const key of Object.keys(operation.value)) this.applyPathlessKey(operation.op, key, operation.value[key]);
      return;
    }
    let target: PatchTarget;
    try {
      target = parsePatchPath(operation.path, this.schema);
    } catch (error) {
      if (!(error instanceof ScimError) || !isUnknownAttributePath(operation.path, this.schema)) throw error;
      this.unknownPaths.found(operation.path.trim());
      return;
    }
    if (operation.op === 'remove') this.remove(target, operation);
    else {
      if (!operation.hasValue) throw scimErrors.invalidValue(`"${operation.op}" requires a "value"`);
      this.addOrReplace(operation.op, target, operation.value);
    }
  }

  /** A key of a pathless value: an attribute name, a dotted path (`name.givenName`), a URN path, or an extension URN. */
  private applyPathlessKey(op: PatchOperationName, key: string, value: unknown): void {
    const lc = key.toLowerCase();
    if (lc === 'schemas' || lc === 'meta') return;
    const split = this.schema.splitSchemaUri(key);
    if (split !== undefined && split.schemaUri !== undefined && split.rest === '') {
      if (this.schema.isCoreSchemaUri(split.schemaUri)) {
        if (!isJsonObject(value)) throw scimErrors.invalidValue(`"${key}" must be an object`);
        for (const inner of Object.keys(value)) this.applyPathlessKey(op, inner, value[inner]);
        return;
      }
      const binding = this.schema.findExtension(split.schemaUri);
      if (binding !== undefined) this.applyExtension(op, binding, value);
      return;
    }
    let target: PatchTarget;
    try {
      target = parsePatchPath(key, this.schema);
    } catch (error) {
      if (!(error instanceof ScimError) || error.scimType !== 'invalidPath') throw error;
      const names = ignoredNamesOf(key, value);
      if (names.length === 0 && this.unknownAttributes.policy === 'reject') throw error;
      for (const name of names) this.unknownAttributes.found(name);
      return;
    }
    this.addOrReplace(op, target, value);
  }

  private applyExtension(op: PatchOperationName, binding: ExtensionBinding, value: unknown): void {
    if (value === null) {
      if (op === 'replace') this.removeExtension(binding);
      return;
    }
    if (!isJsonObject(value)) throw scimErrors.invalidValue(`"${binding.schema.id}" must be an object`);
    for (const key of Object.keys(value)) {
      const attribute = this.schema.resolve(`${binding.schema.id}:${key}`);
      if (attribute === undefined) {
        this.unknownAttributes.found(`${binding.schema.id}:${key}`);
        continue;
      }
      this.addOrReplace(op, { kind: 'attribute', attribute }, value[key]);
    }
  }

  private addOrReplace(op: PatchOperationName, target: PatchTarget, value: unknown): void {
    if (target.kind === 'extension') return this.applyExtension(op, target.binding, value);
    const { attribute } = target;
    if (isMeta(attribute)) return;
    if (target.filter !== undefined) return this.addOrReplaceFiltered(op, attribute, target.filter, target.filterSubAttribute, value);
    const top = attribute.attribute;
    const sub = attribute.subAttribute;
    if (sub !== undefined) return this.setSubAttribute(op, attribute, sub, value);
    const coerced = coerceAttributeValue(top, value, attribute.path, { ...this.coercion, dropReadOnlySubAttributes: top.mutability !== 'readOnly' });
    if (coerced === REMOVE) {
      // null / empty: "replace with nothing" clears (Entra removes a manager that way); "add nothing" is a no-op.
      if (op === 'replace') this.removeWhole(attribute);
      return;
    }
    if (!this.checkWritable(attribute, this.draft.read(attribute), coerced)) return;
    if (top.multiValued && top.type !== 'complex') {
      const incoming = coerced as unknown[];
      this.draft.write(attribute, op === 'replace' ? incoming : unionScalars(top, this.currentScalars(attribute), incoming));
      return;
    }
    if (top.multiValued) {
      const incoming = coerced as JsonObject[];
      if (op === 'replace') {
        enforceSinglePrimary(top, incoming, incoming);
        this.draft.write(attribute, incoming);
        return;
      }
      const current = this.currentList(attribute);
      const written = mergeElements(top, current, incoming);
      enforceSinglePrimary(top, current, written);
      this.draft.write(attribute, current);
      return;
    }
    if (top.type === 'complex') {
      const current = this.draft.read(attribute);
      const next = coerced as JsonObject;
      if (isJsonObject(current) && !referentChanged(top, current, next)) {
        const merged = { ...current };
        for (const key of Object.keys(next)) setKey(merged, key, next[key]);
        this.draft.write(attribute, merged);
      } else {
        this.draft.write(attribute, next);
      }
      return;
    }
    this.draft.write(attribute, coerced);
  }

  private setSubAttribute(op: PatchOperationName, attribute: ResolvedAttribute, sub: AttributeDefinition, value: unknown): void {
    const top = attribute.attribute;
    const coerced = coerceSimple(sub, value, attribute.path);
    if (top.multiValued) {
      const current = this.currentList(attribute);
      if (current.length === 0) {
        if (coerced === REMOVE) return;
        this.checkWritable(attribute, undefined, coerced);
        const element: JsonObject = { [sub.name]: coerced };
        this.draft.write(attribute, [element]);
        return;
      }
      for (const element of current) this.checkWritable(attribute, getProperty(element, sub.name), coerced);
      for (const element of current) {
        if (coerced === REMOVE) deleteKey(element, sub.name);
        else setKey(element, sub.name, coerced);
      }
      if (coerced === true) enforceSinglePrimary(top, current, current);
      this.draft.write(attribute, current);
      return;
    }
    const existing = this.draft.read(attribute);
    const currentSub = isJsonObject(existing) ? getProperty(existing, sub.name) : undefined;
    if (coerced === REMOVE) {
      if (op === 'add' || currentSub === undefined) return;
      this.checkWritable(attribute, currentSub, REMOVE);
      this.removeSubAttribute(attribute, sub);
      return;
    }
    if (!this.checkWritable(attribute, currentSub, coerced)) return;
    const object = isJsonObject(existing) ? { ...existing } : {};
    setKey(object, sub.name, coerced);
    this.draft.write(attribute, object);
  }

  private addOrReplaceFiltered(op: PatchOperationName, attribute: ResolvedAttribute, filter: FilterNode, sub: AttributeDefinition | undefined, value: unknown): void {
    const top = attribute.attribute;
    const current = this.currentList(attribute);
    const matches = current.filter((element) => evaluateElementFilter(filter, element));
    const path = sub === undefined ? attribute.path : `${attribute.path}.${sub.name}`;
    let written: JsonObject[];
    if (sub !== undefined) {
      const coerced = coerceSimple(sub, value, path);
      const elementRef = { ...attribute, subAttribute: sub };
      if (matches.length === 0) {
        if (coerced === REMOVE) return;
        const element = this.createFromFilter(filter, attribute);
        this.checkWritable(elementRef, undefined, coerced);
        element[sub.name] = coerced;
        current.push(element);
        written = [element];
      } else {
        for (const element of matches) this.checkWritable(elementRef, getProperty(element, sub.name), coerced);
        for (const element of matches) {
          if (coerced === REMOVE) deleteKey(element, sub.name);
          else setKey(element, sub.name, coerced);
        }
        written = matches;
      }
    } else {
      const coerced = coerceAttributeValue(top, value, path, this.coercion);
      if (coerced === REMOVE) {
        if (op === 'replace' && matches.length > 0) this.removeElements(attribute, current, matches);
        return;
      }
      const incoming = coerced as JsonObject[];
      if (incoming.length !== 1) throw scimErrors.invalidValue(`"${path}" selects elements; its value must be one object`);
      if (matches.length === 0) {
        // RFC 7644 says noTarget; Entra expects `emails[type eq "work"]` to be created when absent.
        const element = this.createFromFilter(filter, attribute);
        for (const key of Object.keys(incoming[0])) setKey(element, key, incoming[0][key]);
        current.push(element);
        written = [element];
      } else {
        for (const element of matches) for (const key of Object.keys(incoming[0])) setKey(element, key, incoming[0][key]);
        written = matches;
      }
    }
    enforceSinglePrimary(top, current, written);
    this.draft.write(attribute, current);
  }

  /** A new element carrying the values an `eq`-only filter pins down, or noTarget when it pins none. */
  private createFromFilter(filter: FilterNode, attribute: ResolvedAttribute): JsonObject {
    const element: JsonObject = {};
    if (!collectEqualities(filter, element) || Object.keys(element).length === 0) {
      throw scimErrors.noTarget(`No value of "${attribute.path}" matches the filter`);
    }
    return element;
  }

  private remove(target: PatchTarget, operation: PatchOperation): void {
    if (target.kind === 'extension') {
      for (const attribute of target.binding.schema.attributes) {
        if (attribute.required) throw scimErrors.mutability(`"${target.binding.schema.id}:${attribute.name}" is required`);
      }
      this.removeExtension(target.binding);
      return;
    }
    const { attribute } = target;
    if (isMeta(attribute)) return;
    const top = attribute.attribute;
    if (target.filter !== undefined) {
      const current = this.draft.read(attribute);
      if (!Array.isArray(current)) return;
      const list = this.currentList(attribute);
      const matches = list.filter((element) => evaluateElementFilter(target.filter as FilterNode, element));
      // Removing nothing is not an error: Okta re-sends removals of members already gone.
      if (matches.length === 0) return;
      const sub = target.filterSubAttribute;
      if (sub !== undefined) {
        const elementRef = { ...attribute, subAttribute: sub };
        for (const element of matches) this.checkWritable(elementRef, getProperty(element, sub.name), REMOVE);
        if (sub.required) throw scimErrors.mutability(`"${attribute.path}.${sub.name}" is required`);
        for (const element of matches) deleteKey(element, sub.name);
        this.draft.write(attribute, list);
        return;
      }
      this.checkWritable(attribute, current, REMOVE);
      this.removeElements(attribute, list, matches);
      return;
    }
    const sub = attribute.subAttribute;
    if (sub !== undefined) {
      const existing = this.draft.read(attribute);
      if (top.multiValued) {
        if (!Array.isArray(existing) || existing.length === 0) return;
        const list = this.currentList(attribute);
        for (const element of list) this.checkWritable(attribute, getProperty(element, sub.name), REMOVE);
        for (const element of list) deleteKey(element, sub.name);
        this.draft.write(attribute, list);
        return;
      }
      const currentSub = isJsonObject(existing) ? getProperty(existing, sub.name) : undefined;
      if (currentSub === undefined) return;
      this.checkWritable(attribute, currentSub, REMOVE);
      this.removeSubAttribute(attribute, sub);
      return;
    }
    if (top.multiValued && operation.hasValue && operation.value !== null) {
      // Entra (default mode) and JumpCloud: `remove members` with a value list removes those members only.
      const coerced = coerceAttributeValue(top, operation.value, attribute.path, { dropReadOnlySubAttributes: false });
      if (coerced === REMOVE) return;
      if (top.type !== 'complex') {
        const current = this.currentScalars(attribute);
        const kept = current.filter((element) => !(coerced as unknown[]).some((doomed) => sameScalar(top, element, doomed)));
        if (kept.length === current.length) return;
        if (kept.length === 0) this.removeWhole(attribute);
        else this.draft.write(attribute, kept);
        return;
      }
      const existing = this.draft.read(attribute);
      if (!Array.isArray(existing)) return;
      const list = this.currentList(attribute);
      const index = new ElementIndex(top, list);
      const matches = new Set<JsonObject>();
      for (const element of coerced as JsonObject[]) for (const match of index.find(element)) matches.add(match);
      if (matches.size === 0) return;
      this.checkWritable(attribute, existing, REMOVE);
      this.removeElements(attribute, list, [...matches]);
      return;
    }
    this.removeWhole(attribute);
  }

  /** Removing an extension removes its attributes: a readOnly one holding a value cannot be removed. */
  private removeExtension(binding: ExtensionBinding): void {
    for (const attribute of binding.schema.attributes) {
      if (attribute.mutability !== 'readOnly') continue;
      const resolved = this.schema.resolve(`${binding.schema.id}:${attribute.name}`);
      if (resolved !== undefined && this.draft.read(resolved) !== undefined) throw scimErrors.mutability(`"${resolved.path}" is read-only`);
    }
    this.draft.removeExtension(binding);
  }

  private removeWhole(attribute: ResolvedAttribute): void {
    const current = this.draft.read(attribute);
    if (current === undefined) return;
    if (attribute.attribute.required) throw scimErrors.mutability(`"${attribute.path}" is required and cannot be removed`);
    this.checkWritable(attribute, current, REMOVE);
    this.draft.remove(attribute);
  }

  private removeSubAttribute(attribute: ResolvedAttribute, sub: AttributeDefinition): void {
    if (sub.required) throw scimErrors.mutability(`"${attribute.path}" is required and cannot be removed`);
    const object = this.draft.readMutable(attribute);
    if (!isJsonObject(object)) return;
    deleteKey(object, sub.name);
    if (Object.keys(object).length === 0) this.draft.remove(attribute);
    else this.draft.write(attribute, object);
  }

  private removeElements(attribute: ResolvedAttribute, list: JsonObject[], remove: readonly JsonObject[]): void {
    const doomed = new Set(remove);
    const kept = list.filter((element) => !doomed.has(element));
    if (kept.length === 0) this.draft.remove(attribute);
    else this.draft.write(attribute, kept);
  }

  /** The values of a multi-valued simple attribute (a stored non-list counts as none). */
  private currentScalars(attribute: ResolvedAttribute): unknown[] {
    const value = this.draft.read(attribute);
    return Array.isArray(value) ? value.filter((element) => element !== null && typeof element !== 'object') : [];
  }

  /** The attribute's elements as a private, mutable list of objects (non-object junk is dropped). */
  private currentList(attribute: ResolvedAttribute): JsonObject[] {
    const value = this.draft.readMutable(attribute);
    if (!Array.isArray(value)) return [];
    return value.every(isJsonObject) ? (value as JsonObject[]) : (value.filter(isJsonObject) as JsonObject[]);
  }

  /**
   * RFC 7643 mutability: readOnly values may be echoed unchanged (returns false: nothing to do)
   * but not changed; immutable values may be set once. Throws ScimError mutability.
   */
  private checkWritable(attribute: Pick<ResolvedAttribute, 'attribute' | 'subAttribute' | 'path'>, current: unknown, next: Coerced): boolean {
    const top = attribute.attribute;
    const mutability = top.mutability === 'readOnly' ? 'readOnly' : (attribute.subAttribute?.mutability ?? top.mutability);
    if (mutability === 'readWrite' || mutability === 'writeOnly') return true;
    const unchanged = next === REMOVE ? current === undefined : jsonEqual(current, next);
    if (mutability === 'readOnly') {
      if (unchanged) return false;
      throw scimErrors.mutability(`"${attribute.path}" is read-only`);
    }
    if (current === undefined || current === null || unchanged) return !unchanged || current === undefined;
    throw scimErrors.mutability(`"${attribute.path}" is immutable`);
  }
}

/** What an ignored pathless key is reported as: an unknown extension object reports its attributes. */
function ignoredNamesOf(key: string, value: unknown): string[] {
  if (key.trim() === '') return [];
  const keys = key.toLowerCase().startsWith('urn:') && isJsonObject(value) ? Object.keys(value) : [];
  return keys.length > 0 ? keys.map((inner) => `${key}:${inner}`) : [key];
}

/** Collects `sub eq value` pairs of an and-only filter into `element`; false if the filter has anything else. */
function collectEqualities(node: FilterNode, element: JsonObject): boolean {
  if (node.kind === 'and') return node.operands.every((operand) => collectEqualities(operand, element));
  if (node.kind === 'compare' && node.operator === 'eq' && node.value !== null && node.attribute.subAttribute !== undefined) {
    element[node.attribute.subAttribute.name] = node.value;
    return true;
  }
  return false;
}

/** A complex value pointing at a different `value` (e.g. a new manager) replaces the old one whole. */
function referentChanged(definition: AttributeDefinition, current: JsonObject, next: JsonObject): boolean {
  const valueSub = findSubAttribute(definition, 'value');
  if (valueSub === undefined) return false;
  const a = getProperty(current, 'value');
  const b = getProperty(next, 'value');
  return b !== undefined && a !== undefined && !sameScalar(valueSub, a, b);
}

function sameScalar(definition: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !definition.caseExact) return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/**
 * Finds existing elements equal to an incoming one: same `value` (by caseExact) and, when both
 * give one, the same `type`; elements without a `value` sub-attribute compare whole.
 */
class ElementIndex {
  private readonly byValue = new Map<unknown, JsonObject[]>();
  private readonly valueSub: AttributeDefinition | undefined;
  private readonly typeSub: AttributeDefinition | undefined;

  constructor(
    private readonly definition: AttributeDefinition,
    private readonly list: JsonObject[],
  ) {
    this.valueSub = findSubAttribute(definition, 'value');
    this.typeSub = findSubAttribute(definition, 'type');
    if (this.valueSub !== undefined) for (const element of list) this.add(element);
  }

  add(element: JsonObject): void {
    if (this.valueSub === undefined) return;
    const key = this.keyOf(getProperty(element, 'value'));
    const bucket = this.byValue.get(key);
    if (bucket === undefined) this.byValue.set(key, [element]);
    else bucket.push(element);
  }

  find(incoming: JsonObject): JsonObject[] {
    const value = getProperty(incoming, 'value');
    if (this.valueSub === undefined || value === undefined) return this.list.filter((element) => jsonEqual(element, incoming));
    const candidates = this.byValue.get(this.keyOf(value)) ?? [];
    const type = getProperty(incoming, 'type');
    if (type === undefined || this.typeSub === undefined) return candidates;
    return candidates.filter((element) => {
      const existingType = getProperty(element, 'type');
      return existingType === undefined || sameScalar(this.typeSub as AttributeDefinition, existingType, type);
    });
  }

  private keyOf(value: unknown): unknown {
    return typeof value === 'string' && this.valueSub !== undefined && !this.valueSub.caseExact ? value.toLowerCase() : value;
  }
}

/** `add` to a multi-valued simple attribute: the values not there yet (by caseExact) are appended. */
function unionScalars(definition: AttributeDefinition, current: readonly unknown[], incoming: readonly unknown[]): unknown[] {
  const result = [...current];
  for (const value of incoming) if (!result.some((existing) => sameScalar(definition, existing, value))) result.push(value);
  return result;
}

/** Appends incoming elements, merging into an equal existing element instead of duplicating it. */
function mergeElements(definition: AttributeDefinition, list: JsonObject[], incoming: readonly JsonObject[]): JsonObject[] {
  const index = new ElementIndex(definition, list);
  const written: JsonObject[] = [];
  for (const element of incoming) {
    const match = index.find(element)[0];
    if (match !== undefined) {
      for (const key of Object.keys(element)) setKey(match, key, element[key]);
      written.push(match);
    } else {
      list.push(element);
      index.add(element);
      written.push(element);
    }
  }
  return written;
}

/** At most one `primary: true` (RFC 7643 §2.4): the value written last wins, the others are cleared. */
function enforceSinglePrimary(definition: AttributeDefinition, list: JsonObject[], written: readonly JsonObject[]): void {
  if (findSubAttribute(definition, 'primary') === undefined) return;
  let winner: JsonObject | undefined;
  for (const element of written) if (getProperty(element, 'primary') === true) winner = element;
  if (winner === undefined) return;
  for (const element of list) if (element !== winner && getProperty(element, 'primary') === true) setKey(element, 'primary', false);
}

