import { TopLevelAttribute } from '../schemas/schema-registry';
import { getAttributeContainer, getProperty, isJsonObject, JsonObject, jsonEqual } from '../schemas/resource-access';

function pathOf(attribute: TopLevelAttribute, sub?: string): string {
  const name = sub === undefined ? attribute.attribute.name : `${attribute.attribute.name}.${sub}`;
  return attribute.extension ? `${attribute.schemaId}:${name}` : name;
}

function valueOf(resource: JsonObject, attribute: TopLevelAttribute): unknown {
  const container = getAttributeContainer(resource, attribute);
  return container === undefined ? undefined : getProperty(container, attribute.attribute.name);
}

/**
 * Canonical paths of the attributes whose value differs between two versions of a resource:
 * single-valued complex attributes report their changed sub-attributes (`name.givenName`),
 * everything else the attribute itself (`emails`, `urn:…:User:manager` reports `…:manager.value`).
 */
export function diffAttributes(before: JsonObject, after: JsonObject, attributes: Iterable<TopLevelAttribute>): string[] {
  const changed: string[] = [];
  for (const attribute of attributes) {
    const a = valueOf(before, attribute);
    const b = valueOf(after, attribute);
    if (jsonEqual(a, b)) continue;
    const definition = attribute.attribute;
    if (definition.type === 'complex' && !definition.multiValued && (isJsonObject(a) || a === undefined) && (isJsonObject(b) || b === undefined)) {
      for (const sub of definition.subAttributes ?? []) {
        const x = a === undefined ? undefined : getProperty(a as JsonObject, sub.name);
        const y = b === undefined ? undefined : getProperty(b as JsonObject, sub.name);
        if (!jsonEqual(x, y)) changed.push(pathOf(attribute, sub.name));
      }
      continue;
    }
    changed.push(pathOf(attribute));
  }
  return changed;
}
