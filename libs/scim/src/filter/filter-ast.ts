import { ResolvedAttribute } from '../schemas/schema-registry';

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterLiteral = string | number | boolean | null;

/**
 * `attribute op value`. Inside a value filter (`emails[…]`) the node is relative to one element:
 * `attribute` is the multi-valued parent and `attribute.subAttribute` the element's sub-attribute.
 * `value` is already normalised to the attribute's type (dateTime: canonical ISO-8601 UTC string).
 */
export interface CompareExpression {
  readonly kind: 'compare';
  readonly attribute: ResolvedAttribute;
  readonly operator: CompareOperator;
  readonly value: FilterLiteral;
}

/** `attribute pr`: present, i.e. neither missing, null nor the empty string. */
export interface PresentExpression {
  readonly kind: 'present';
  readonly attribute: ResolvedAttribute;
}

export interface LogicalExpression {
  readonly kind: 'and' | 'or';
  readonly operands: readonly FilterNode[];
}

export interface NotExpression {
  readonly kind: 'not';
  readonly operand: FilterNode;
}

/** `attribute[filter]` on a multi-valued complex attribute: true when some element matches `filter`. */
export interface ValuePathExpression {
  readonly kind: 'valuePath';
  readonly attribute: ResolvedAttribute;
  readonly filter: FilterNode;
}

export type FilterNode = CompareExpression | PresentExpression | LogicalExpression | NotExpression | ValuePathExpression;

/** The attribute definition that decides how a compare node's values compare. */
export function comparedDefinition(attribute: ResolvedAttribute) {
  return attribute.subAttribute ?? attribute.attribute;
}
