import { ExtensionBinding, ResolvedAttribute, ResourceSchema, TopLevelAttribute } from '../schemas/schema-registry';
import { cloneJson, findKey, getProperty, isJsonObject, JsonObject } from '../schemas/resource-access';

type AttributeRef = Pick<ResolvedAttribute, 'schemaId' | 'extension' | 'attribute'>;

function keyOf(attribute: AttributeRef): string {
  return `${attribute.extension ? attribute.schemaId.toLowerCase() : ''}|${attribute.attribute.name.toLowerCase()}`;
}

/** Sets `object[name]`, dropping any differently-cased spelling of the same key. */
export function setKey(object: JsonObject, name: string, value: unknown): void {
  const existing = findKey(object, name);
  if (existing !== undefined && existing !== name) delete object[existing];
  object[name] = value;
}

export function deleteKey(object: JsonObject, name: string): boolean {
  const existing = findKey(object, name);
  if (existing === undefined) return false;
  delete object[existing];
  return true;
}

/**
 * Copy-on-write view of a resource being patched: the original is never mutated, and only the
 * attributes an operation touches are copied (no deep clone of the whole resource).
 */
export class ResourceDraft {
  readonly root: JsonObject;
  readonly touched = new Map<string, TopLevelAttribute>();
  private readonly ownedValues = new Set<string>();
  private readonly ownedContainers = new Set<string>();
  private schemasOwned = false;

  constructor(
    readonly original: JsonObject,
    private readonly schema: ResourceSchema,
  ) {
    this.root = { ...original };
  }

  read(attribute: AttributeRef): unknown {
    const container = this.container(attribute, false);
    return container === undefined ? undefined : getProperty(container, attribute.attribute.name);
  }

  /** The attribute's current value as a private copy that may be mutated in place. */
  readMutable(attribute: AttributeRef): unknown {
    const value = this.read(attribute);
    if (value === undefined || value === null || typeof value !== 'object') return value;
    const key = keyOf(attribute);
    if (this.ownedValues.has(key)) return value;
    const copy = cloneJson(value);
    this.write(attribute, copy);
    return copy;
  }

  write(attribute: AttributeRef, value: unknown): void {
    const key = keyOf(attribute);
    this.touch(attribute, key);
    setKey(this.container(attribute, true) as JsonObject, attribute.attribute.name, value);
    this.ownedValues.add(key);
  }

  remove(attribute: AttributeRef): void {
    const container = this.container(attribute, false);
    if (container === undefined || findKey(container, attribute.attribute.name) === undefined) return;
    this.touch(attribute, keyOf(attribute));
    deleteKey(container, attribute.attribute.name);
    if (attribute.extension && Object.keys(container).length === 0) {
      deleteKey(this.root, attribute.schemaId);
      this.setSchemaListed(attribute.schemaId, false);
    }
  }

  removeExtension(binding: ExtensionBinding): void {
    if (findKey(this.root, binding.schema.id) === undefined) return;
    for (const attribute of binding.schema.attributes) this.touch({ schemaId: binding.schema.id, extension: true, attribute });
    deleteKey(this.root, binding.schema.id);
    this.setSchemaListed(binding.schema.id, false);
  }

  private touch(attribute: AttributeRef, key = keyOf(attribute)): void {
    if (!this.touched.has(key)) this.touched.set(key, { schemaId: attribute.schemaId, extension: attribute.extension, attribute: attribute.attribute });
  }

  private container(attribute: AttributeRef, create: boolean): JsonObject | undefined {
    if (!attribute.extension) return this.root;
    const uri = attribute.schemaId;
    const lc = uri.toLowerCase();
    const key = findKey(this.root, uri);
    const current = key === undefined ? undefined : this.root[key];
    if (!isJsonObject(current)) {
      if (!create) return undefined;
      const created: JsonObject = {};
      setKey(this.root, uri, created);
      this.ownedContainers.add(lc);
      this.setSchemaListed(uri, true);
      return created;
    }
    if (this.ownedContainers.has(lc)) return current;
    const copy = { ...current };
    setKey(this.root, uri, copy);
    this.ownedContainers.add(lc);
    return copy;
  }

  /** Keeps `schemas` listing exactly the extensions present (RFC 7643 §3). */
  private setSchemaListed(uri: string, listed: boolean): void {
    const current = Array.isArray(this.root['schemas']) ? (this.root['schemas'] as unknown[]) : [this.schema.coreSchema.id];
    const lc = uri.toLowerCase();
    const has = current.some((s) => typeof s === 'string' && s.toLowerCase() === lc);
    if (has === listed) return;
    const next = this.schemasOwned ? current : [...current];
    if (listed) next.push(uri);
    else next.splice(next.findIndex((s) => typeof s === 'string' && s.toLowerCase() === lc), 1);
    this.root['schemas'] = next;
    this.schemasOwned = true;
  }
}
