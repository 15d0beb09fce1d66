import { scimErrors } from '../errors/scim-error';
import { withSubAttribute } from '../filter/filter-parser';
import { SqlFilterCompiler, SqlParameterList } from '../filter/sql-filter-compiler';
import { prepareSqlMapping, quoteIdentifier as q, SqlCompileOptions, SqlFragment, SqlResourceMapping } from '../filter/sql-mapping';
import { findSubAttribute, ResolvedAttribute, ResourceSchema } from '../schemas/schema-registry';
import { getAttributeValue, getProperty, isJsonObject, JsonObject } from '../schemas/resource-access';

export type SortOrder = 'ascending' | 'descending';

/**
 * Resolves a `sortBy` attribute path. A multi-valued complex attribute named without a sub-attribute
 * sorts by its `value` (RFC 7644 §3.4.2.3: by the primary value).
 */
export function resolveSortBy(sortBy: string, schema: ResourceSchema): ResolvedAttribute {
  const resolved = schema.resolve(sortBy.trim());
  if (resolved === undefined) throw scimErrors.invalidValue(`Cannot sort by unknown attribute "${sortBy}"`);
  if (resolved.subAttribute === undefined && resolved.attribute.type === 'complex') {
    const valueSub = resolved.attribute.multiValued ? findSubAttribute(resolved.attribute, 'value') : undefined;
    if (valueSub === undefined) throw scimErrors.invalidValue(`Cannot sort by complex attribute "${resolved.path}"`);
    return withSubAttribute(resolved, valueSub);
  }
  if (resolved.attribute.returned === 'never' || resolved.subAttribute?.returned === 'never') {
    throw scimErrors.invalidValue(`Cannot sort by "${resolved.path}"`);
  }
  return resolved;
}

export function parseSortOrder(sortOrder: unknown): SortOrder {
  if (sortOrder === undefined || sortOrder === null || sortOrder === '') return 'ascending';
  if (typeof sortOrder === 'string') {
    const lc = sortOrder.toLowerCase();
    if (lc === 'ascending' || lc === 'descending') return lc;
  }
  throw scimErrors.invalidValue('sortOrder must be "ascending" or "descending"');
}

type SortKey = string | number | undefined;

/** The value a resource sorts by; a multi-valued attribute uses its primary element, else its smallest value. */
export function sortKeyOf(resource: JsonObject, attribute: ResolvedAttribute): SortKey {
  const definition = attribute.subAttribute ?? attribute.attribute;
  const toKey = (value: unknown): SortKey => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return definition.type === 'boolean' ? (value ? 1 : 0) : undefined;
    if (typeof value === 'number') return definition.type === 'integer' || definition.type === 'decimal' ? value : undefined;
    if (typeof value !== 'string') return undefined;
    if (definition.type === 'dateTime') return value;
    if (definition.type === 'string' || definition.type === 'reference' || definition.type === 'binary') return definition.caseExact ? value : value.toLowerCase();
    return undefined;
  };
  const value = getAttributeValue(resource, attribute);
  const sub = attribute.subAttribute;
  if (!attribute.attribute.multiValued) {
    if (sub === undefined) return toKey(value);
    return isJsonObject(value) ? toKey(getProperty(value, sub.name)) : undefined;
  }
  if (!Array.isArray(value) || sub === undefined) return undefined;
  let best: SortKey;
  let bestIsPrimary = false;
  for (const element of value) {
    if (!isJsonObject(element)) continue;
    const key = toKey(getProperty(element, sub.name));
    if (key === undefined) continue;
    const primary = getProperty(element, 'primary') === true;
    if (best === undefined || (primary && !bestIsPrimary) || (primary === bestIsPrimary && key < best)) {
      best = key;
      bestIsPrimary = primary;
    }
  }
  return best;
}

/**
 * In-memory comparator matching `compileSortToSql`: missing values last in both orders,
 * ties broken by `id` ascending so pages are stable.
 */
export function createResourceComparator(attribute: ResolvedAttribute | undefined, order: SortOrder = 'ascending'): (a: JsonObject, b: JsonObject) => number {
  const direction = order === 'descending' ? -1 : 1;
  const byId = (a: JsonObject, b: JsonObject): number => {
    const x = String(a['id'] ?? '');
    const y = String(b['id'] ?? '');
    return x < y ? -1 : x > y ? 1 : 0;
  };
  if (attribute === undefined) return byId;
  return (a, b) => {
    const x = sortKeyOf(a, attribute);
    const y = sortKeyOf(b, attribute);
    if (x === undefined || y === undefined) {
      if (x !== undefined) return -1;
      if (y !== undefined) return 1;
      return byId(a, b);
    }
    if (x < y) return -direction;
    if (x > y) return direction;
    return byId(a, b);
  };
}

/**
 * ORDER BY body (without the keywords) for `attribute`, ending with the id tiebreaker.
 * Multi-valued attributes sort by the primary element's value through their child table.
 */
export function compileSortToSql(
  attribute: ResolvedAttribute | undefined,
  order: SortOrder,
  mapping: SqlResourceMapping,
  options: SqlCompileOptions,
): SqlFragment {
  const prepared = prepareSqlMapping(mapping);
  const params = new SqlParameterList(options.dialect, options.paramOffset ?? 0);
  const root = q(mapping.alias);
  const tiebreak = `${root}.${q(mapping.idColumn)} ASC`;
  if (attribute === undefined) return { sql: tiebreak, params: params.params };
  const compiler = new SqlFilterCompiler(prepared, params);
  const definition = attribute.subAttribute ?? attribute.attribute;
  const direction = order === 'descending' ? 'DESC' : 'ASC';
  const caseInsensitive = (definition.type === 'string' || definition.type === 'reference' || definition.type === 'binary') && !definition.caseExact;
  let expr: string;
  let timestamp = false;
  if (attribute.attribute.multiValued) {
    const child = prepared.multiValued.get(attribute.path.slice(0, attribute.path.lastIndexOf('.')).toLowerCase());
    const sub = attribute.subAttribute;
    const column = sub === undefined ? undefined : child?.subAttributes.get(sub.name.toLowerCase());
    const primary = child?.subAttributes.get('primary');
    if (child === undefined || column === undefined || primary === undefined) {
      throw scimErrors.invalidValue(`Sorting by "${attribute.path}" is not supported`);
    }
    const c = child.mapping;
    const alias = q(c.alias);
    const value = caseInsensitive ? (column.lowercaseColumn ? `${alias}.${q(column.lowercaseColumn)}` : `lower(${alias}.${q(column.column)})`) : `${alias}.${q(column.column)}`;
    const isPrimary = `${alias}.${q(primary.column)} = ${options.dialect === 'sqlite' ? '1' : 'TRUE'}`;
    // A collation on a boolean (`emails.primary`) is an error on PostgreSQL: only text is collated.
    const innerOrder = definition.type === 'boolean' || definition.type === 'integer' || definition.type === 'decimal' ? value : compiler.ordered(value);
    expr = `(SELECT ${value} FROM ${q(c.table)} AS ${alias} WHERE ${alias}.${q(c.parentKeyColumn)} = ${root}.${q(mapping.idColumn)} AND ${value} IS NOT NULL ORDER BY CASE WHEN ${isPrimary} THEN 0 ELSE 1 END, ${innerOrder} LIMIT 1)`;
  } else {
    const location = compiler.locateAttribute(attribute);
    timestamp = options.dialect === 'postgres' && location.postgresTimestamp === true;
    expr = caseInsensitive ? (location.lowercaseExpr ?? `lower(${location.expr})`) : location.expr;
    if (location.json && options.dialect === 'postgres' && (definition.type === 'integer' || definition.type === 'decimal')) {
      expr = `(CASE WHEN jsonb_typeof(${location.jsonbExpr}) = 'number' THEN ${location.expr}::numeric END)`;
    }
  }
  const isText = !timestamp && definition.type !== 'boolean' && definition.type !== 'integer' && definition.type !== 'decimal';
  const ordered = isText ? compiler.ordered(expr) : expr;
  return { sql: `${ordered} ${direction} NULLS LAST, ${tiebreak}`, params: params.params };
}
