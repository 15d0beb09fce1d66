import { AttributeDefinition } from '../schemas/attribute-definition';
import { getAttributeValue, getProperty, isJsonObject, JsonObject } from '../schemas/resource-access';
import { CompareExpression, CompareOperator, FilterLiteral, FilterNode } from './filter-ast';

/**
 * In-memory evaluation of a parsed filter against a SCIM resource. Semantics are shared with the
 * SQL compiler: a missing value never matches a comparison, `ne` was parsed as `not(eq)`, and a
 * multi-valued attribute matches when one of its elements does.
 */
export function evaluateFilter(node: FilterNode, resource: JsonObject): boolean {
  return evaluate(node, resource, NO_ELEMENT);
}

/** A reusable predicate, e.g. for `Array.prototype.filter`. */
export function toPredicate(node: FilterNode): (resource: JsonObject) => boolean {
  return (resource) => evaluate(node, resource, NO_ELEMENT);
}

/** Evaluates a value filter (the inside of `attr[…]`) against one element of a multi-valued complex attribute. */
export function evaluateElementFilter(node: FilterNode, element: unknown): boolean {
  return isJsonObject(element) && evaluate(node, {}, element);
}

/** Outside a value filter there is no current element (`undefined` could be an element's value). */
const NO_ELEMENT = Symbol('no element');

/**
 * `element` is the current element inside a value filter: an object for a multi-valued complex
 * attribute, a scalar for a multi-valued simple one (a workspace's `tags`), whose filter nodes then
 * name no sub-attribute.
 */
function evaluate(node: FilterNode, resource: JsonObject, element: unknown): boolean {
  switch (node.kind) {
    case 'and':
      for (const operand of node.operands) if (!evaluate(operand, resource, element)) return false;
      return true;
    case 'or':
      for (const operand of node.operands) if (evaluate(operand, resource, element)) return true;
      return false;
    case 'not':
      return !evaluate(node.operand, resource, element);
    case 'valuePath': {
      const elements = getAttributeValue(resource, node.attribute);
      if (!Array.isArray(elements)) return false;
      const complex = node.attribute.attribute.type === 'complex';
      for (const candidate of elements) {
        if ((complex ? isJsonObject(candidate) : !isJsonObject(candidate) && !Array.isArray(candidate)) && evaluate(node.filter, resource, candidate)) return true;
      }
      return false;
    }
    case 'present':
      return isPresent(readValue(node.attribute, resource, element));
    case 'compare':
      return compareValue(node, readValue(node.attribute, resource, element));
  }
}

function readValue(attribute: CompareExpression['attribute'], resource: JsonObject, element: unknown): unknown {
  const sub = attribute.subAttribute;
  if (element !== NO_ELEMENT) {
    if (sub === undefined) return isJsonObject(element) ? undefined : element;
    return isJsonObject(element) ? getProperty(element, sub.name) : undefined;
  }
  const value = getAttributeValue(resource, attribute);
  if (sub === undefined) return value;
  return isJsonObject(value) ? getProperty(value, sub.name) : undefined;
}

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function compareValue(node: CompareExpression, actual: unknown): boolean {
  const definition = node.attribute.subAttribute ?? node.attribute.attribute;
  return matchesLiteral(definition, node.operator, node.value, actual);
}

/** One typed comparison, following the attribute's type and caseExact. */
export function matchesLiteral(definition: AttributeDefinition, operator: CompareOperator, expected: FilterLiteral, actual: unknown): boolean {
  if (expected === null) return actual === undefined || actual === null;
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary': {
      if (typeof actual !== 'string' || typeof expected !== 'string') return false;
      const a = definition.caseExact ? actual : actual.toLowerCase();
      const e = definition.caseExact ? expected : expected.toLowerCase();
      return compareOrdered(operator, a, e);
    }
    case 'boolean':
      return typeof actual === 'boolean' && actual === expected;
    case 'integer':
    case 'decimal':
      return typeof actual === 'number' && typeof expected === 'number' && compareOrdered(operator, actual, expected);
    case 'dateTime': {
      if (typeof actual !== 'string' || typeof expected !== 'string') return false;
      const a = Date.parse(actual);
      return Number.isFinite(a) && compareOrdered(operator, a, Date.parse(expected));
    }
    case 'complex':
      return false;
  }
}

function compareOrdered<T extends string | number>(operator: CompareOperator, a: T, e: T): boolean {
  switch (operator) {
    case 'eq': return a === e;
    case 'ne': return a !== e;
    case 'gt': return a > e;
    case 'ge': return a >= e;
    case 'lt': return a < e;
    case 'le': return a <= e;
    case 'co': return (a as string).includes(e as string);
    case 'sw': return (a as string).startsWith(e as string);
    case 'ew': return (a as string).endsWith(e as string);
  }
}
