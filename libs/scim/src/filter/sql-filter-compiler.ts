import { scimErrors } from '../errors/scim-error';
import { AttributeDefinition } from '../schemas/attribute-definition';
import { ResolvedAttribute } from '../schemas/schema-registry';
import { CompareExpression, FilterNode, LogicalExpression, ValuePathExpression } from './filter-ast';
import {
  PreparedSqlMapping,
  prepareSqlMapping,
  quoteIdentifier as q,
  SqlColumnMapping,
  SqlCompileOptions,
  SqlDialect,
  SqlFragment,
  SqlParam,
  SqlResourceMapping,
} from './sql-mapping';

/** Collects parameters and hands out placeholders: `$n` on PostgreSQL, `?` on SQLite. */
export class SqlParameterList {
  readonly params: SqlParam[] = [];

  constructor(
    readonly dialect: SqlDialect,
    private readonly offset = 0,
  ) {}

  bind(value: SqlParam): string {
    if (this.dialect === 'sqlite') {
      this.params.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
      return '?';
    }
    this.params.push(value);
    return `$${this.offset + this.params.length}`;
  }

  /** A JSON path into a JSON column, as a parameter: never spliced into the SQL text. */
  bindJsonPath(keys: readonly string[]): string {
    if (this.dialect === 'sqlite') return this.bind(`$${keys.map((key) => `."${key}"`).join('')}`);
    return `${this.bind(keys)}::text[]`;
  }

  bindJsonKey(key: string): string {
    return this.dialect === 'sqlite' ? this.bind(`$."${key}"`) : `${this.bind(key)}::text`;
  }
}

/** Where a compared value comes from: a real column, or a JSON expression. */
interface ValueLocation {
  readonly expr: string;
  readonly lowercaseExpr?: string;
  readonly json: boolean;
  /** PostgreSQL JSON only: an expression yielding the jsonb value, for type checks. */
  readonly jsonbExpr?: string;
  readonly postgresTimestamp?: boolean;
}

interface ElementScope {
  /** Column of the child table per sub-attribute, or undefined when elements are read from JSON. */
  readonly columns?: ReadonlyMap<string, SqlColumnMapping>;
  readonly alias: string;
  /** The elements are scalars (a multi-valued simple attribute): the element itself is the value. */
  readonly scalar?: boolean;
}

/**
 * Compiles a parsed filter into a parameterised boolean SQL expression over `mapping`. The result
 * agrees with `evaluateFilter` for resources whose stored JSON/columns follow the mapping's rules
 * (see README, "SQL read model"). Only ScimError is thrown (invalidFilter for unsupported shapes).
 */
export function compileFilterToSql(node: FilterNode, mapping: SqlResourceMapping, options: SqlCompileOptions): SqlFragment {
  const compiler = new SqlFilterCompiler(prepareSqlMapping(mapping), new SqlParameterList(options.dialect, options.paramOffset ?? 0), options.workspaceId);
  const sql = compiler.compile(node, undefined);
  return { sql, params: compiler.params.params };
}

export class SqlFilterCompiler {
  private readonly dialect: SqlDialect;
  private readonly root: string;

  constructor(
    private readonly mapping: PreparedSqlMapping,
    readonly params: SqlParameterList,
    private readonly workspaceId?: string,
  ) {
    this.dialect = params.dialect;
    this.root = q(mapping.source.alias);
  }

  compile(node: FilterNode, scope: ElementScope | undefined): string {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${this.withChildScansMerged(node, scope)
          .map((operand) => this.compile(operand, scope))
          .join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        // SQL NULL ("unknown") must count as false before negation, as in the evaluator.
        return `NOT COALESCE(${this.compile(node.operand, scope)}, ${this.dialect === 'sqlite' ? '0' : 'FALSE'})`;
      case 'valuePath':
        if (scope !== undefined) throw scimErrors.invalidFilter('value filters cannot be nested');
        return this.compileValuePath(node.attribute, node.filter);
      case 'present':
        return this.presentSql(node.attribute, this.locate(node.attribute, scope));
      case 'compare':
        return this.compareSql(node, this.locate(node.attribute, scope));
    }
  }

  /** The value expression of the attribute of a compare/present node, in the root or an element scope. */
  locateAttribute(attribute: ResolvedAttribute): ValueLocation {
    return this.locate(attribute, undefined);
  }

  /**
   * Each value filter over a child table is a subquery of its own, so an IdP's `emails[value co "1"]
   * or … or emails[value co "9"]` read the elements ten times (2.3 s over 200,000 emails). Terms
   * over the same child table are merged into one subquery where that keeps the meaning: `A[f] or A[g]`
   * is `A[f or g]`, and `not A[f] and not A[g]` is `not A[f or g]` (the same element need not match
   * both). `A[f] and A[g]` cannot be merged: it may need two different elements.
   */
  private withChildScansMerged(node: LogicalExpression, scope: ElementScope | undefined): FilterNode[] {
    if (scope !== undefined) return [...node.operands];
    const scanOf = (operand: FilterNode): ValuePathExpression | undefined => {
      const candidate = node.kind === 'or' ? operand : operand.kind === 'not' ? operand.operand : undefined;
      return candidate?.kind === 'valuePath' && this.childTableOf(candidate) !== undefined ? candidate : undefined;
    };
    const terms: (FilterNode | ValuePathExpression[])[] = [];
    const scansByAttribute = new Map<string, ValuePathExpression[]>();
    for (const operand of node.operands) {
      const scan = scanOf(operand);
      if (scan === undefined) {
        terms.push(operand);
        continue;
      }
      const key = scan.attribute.path.toLowerCase();
      const scans = scansByAttribute.get(key);
      if (scans !== undefined) {
        scans.push(scan);
        continue;
      }
      const firstScan = [scan];
      scansByAttribute.set(key, firstScan);
      terms.push(firstScan);
    }
    return terms.map((term) => {
      if (!Array.isArray(term)) return term;
      const union: ValuePathExpression =
        term.length === 1 ? term[0]! : { kind: 'valuePath', attribute: term[0]!.attribute, filter: { kind: 'or', operands: term.map((scan) => scan.filter) } };
      return node.kind === 'or' ? union : { kind: 'not', operand: union };
    });
  }

  /** The child table holding a value filter's elements, when every sub-attribute it reads has a column there. */
  private childTableOf(node: ValuePathExpression) {
    if (!node.attribute.attribute.multiValued || node.attribute.attribute.type !== 'complex') return undefined;
    const child = this.mapping.multiValued.get(node.attribute.path.toLowerCase());
    return child !== undefined && usesOnlyMapped(node.filter, child.subAttributes) ? child : undefined;
  }

  private compileValuePath(attribute: ResolvedAttribute, filter: FilterNode): string {
    if (!attribute.attribute.multiValued) {
      throw scimErrors.invalidFilter(`"${attribute.path}" cannot be filtered with a value filter in SQL`);
    }
    const source = this.mapping.source;
    const scalar = attribute.attribute.type !== 'complex';
    const child = this.childTableOf({ kind: 'valuePath', attribute, filter });
    if (child !== undefined) {
      // Two forms, each bounded by the rows an index reaches:
      // - a value filter pinned by an indexed `eq` (`emails.value eq`, `members[value eq]`) finds
      //   its few parents through the child's (workspace, value) index: `id IN (SELECT parent …)`;
      // - any other is a correlated EXISTS keyed by the parent, which probes the parent's own
      //   elements. SQLite must not take the workspace index for it (`+workspace`): seeking the
      //   workspace's elements for every parent took 188 s for `emails.value co "zzz"` over 20,000
      //   members. An uncorrelated `IN` there cost a lookup of each matching parent by id (1.1 s
      //   for two unselective terms at 100,000 members); on PostgreSQL, under NOT or OR, it is a
      //   SubPlan rescanned for every row once its set outgrows work_mem.
      const c = child.mapping;
      const alias = q(c.alias);
      const parentKey = `${alias}.${q(c.parentKeyColumn)}`;
      const parentId = `${this.root}.${q(source.idColumn)}`;
      const inner = (workspace: string) => `${workspace}${this.compile(filter, { columns: child.subAttributes, alias: c.alias })}`;
      const workspaceOf = (prefix: string) =>
        c.workspaceColumn !== undefined && this.workspaceId !== undefined ? `${prefix}${alias}.${q(c.workspaceColumn)} = ${this.params.bind(this.workspaceId)} AND ` : '';
      if (this.dialect === 'sqlite' && pinnedBy(filter, c.seekableSubAttributes ?? [])) {
        return `${parentId} IN (SELECT ${parentKey} FROM ${q(c.table)} AS ${alias} WHERE ${inner(workspaceOf(''))})`;
      }
      const where = `${parentKey} = ${parentId} AND ${inner(workspaceOf(this.dialect === 'sqlite' ? '+' : ''))}`;
      return `EXISTS (SELECT 1 FROM ${q(c.table)} AS ${alias} WHERE ${where})`;
    }
    const resource = `${this.root}.${q(source.resourceColumn)}`;
    const keys = jsonKeys(attribute);
    if (this.dialect === 'sqlite') {
      const rows = `json_each(${resource}, ${this.params.bindJsonPath(keys)})`;
      const isArray = `json_type(${resource}, ${this.params.bindJsonPath(keys)}) = 'array'`;
      const inner = this.compile(filter, { alias: 'j', scalar });
      const elementType = scalar ? `"j"."type" NOT IN ('object', 'array')` : `"j"."type" = 'object'`;
      return `EXISTS (SELECT 1 FROM ${rows} AS "j" WHERE ${isArray} AND ${elementType} AND ${inner})`;
    }
    const path = this.params.bindJsonPath(keys);
    const array = `CASE WHEN jsonb_typeof(${resource} #> ${path}) = 'array' THEN ${resource} #> ${path} ELSE '[]'::jsonb END`;
    const inner = this.compile(filter, { alias: 'j', scalar });
    const elementType = scalar ? `jsonb_typeof("j"."value") NOT IN ('object', 'array')` : `jsonb_typeof("j"."value") = 'object'`;
    return `EXISTS (SELECT 1 FROM jsonb_array_elements(${array}) AS "j"("value") WHERE ${elementType} AND ${inner})`;
  }

  private locate(attribute: ResolvedAttribute, scope: ElementScope | undefined): ValueLocation {
    if (scope !== undefined) {
      const sub = attribute.subAttribute;
      const alias = q(scope.alias);
      if (scope.scalar && sub === undefined) {
        if (this.dialect === 'sqlite') return { expr: `${alias}."value"`, json: true };
        return { expr: `(${alias}."value" #>> '{}')`, jsonbExpr: `${alias}."value"`, json: true };
      }
      if (sub === undefined) throw scimErrors.invalidFilter(`"${attribute.path}" needs a sub-attribute`);
      if (scope.columns !== undefined) {
        const column = scope.columns.get(sub.name.toLowerCase()) as SqlColumnMapping;
        return columnLocation(alias, column);
      }
      if (this.dialect === 'sqlite') return { expr: `json_extract(${alias}."value", ${this.params.bindJsonKey(sub.name)})`, json: true };
      const key = this.params.bindJsonKey(sub.name);
      return { expr: `(${alias}."value" ->> ${key})`, jsonbExpr: `(${alias}."value" -> ${key})`, json: true };
    }
    if (attribute.attribute.multiValued) throw scimErrors.invalidFilter(`"${attribute.path}" is multi-valued and needs a value filter`);
    const column = this.mapping.columns.get(attribute.path.toLowerCase());
    if (column !== undefined) return columnLocation(this.root, column);
    const resource = `${this.root}.${q(this.mapping.source.resourceColumn)}`;
    const keys = jsonKeys(attribute);
    if (attribute.subAttribute !== undefined) keys.push(attribute.subAttribute.name);
    if (this.dialect === 'sqlite') return { expr: `json_extract(${resource}, ${this.params.bindJsonPath(keys)})`, json: true };
    const path = this.params.bindJsonPath(keys);
    return { expr: `(${resource} #>> ${path})`, jsonbExpr: `(${resource} #> ${path})`, json: true };
  }

  private presentSql(attribute: ResolvedAttribute, location: ValueLocation): string {
    const definition = attribute.subAttribute ?? attribute.attribute;
    // Each value expression appears once: on SQLite a repeated "?" would need its parameter twice.
    if ((isStringType(definition) && !(this.dialect === 'postgres' && location.postgresTimestamp)) || (location.json && this.dialect === 'postgres')) {
      return `${location.expr} <> ''`;
    }
    return `${location.expr} IS NOT NULL`;
  }

  private compareSql(node: CompareExpression, location: ValueLocation): string {
    const definition = node.attribute.subAttribute ?? node.attribute.attribute;
    const { operator, value } = node;
    if (value === null) return `${location.expr} IS NULL`;
    const sqlOperator = ORDERING_SQL[operator];
    switch (definition.type) {
      case 'string':
      case 'reference':
      case 'binary': {
        const caseInsensitive = !definition.caseExact;
        const x = caseInsensitive ? (location.lowercaseExpr ?? `lower(${location.expr})`) : location.expr;
        const text = caseInsensitive ? String(value).toLowerCase() : String(value);
        return this.stringComparison(operator, x, text);
      }
      case 'boolean': {
        const p = location.json && this.dialect === 'postgres' ? this.params.bind(value ? 'true' : 'false') : this.params.bind(value as boolean);
        return `${location.expr} = ${p}`;
      }
      case 'integer':
      case 'decimal': {
        if (location.json && this.dialect === 'postgres') {
          const numeric = `(CASE WHEN jsonb_typeof(${location.jsonbExpr}) = 'number' THEN ${location.expr}::numeric END)`;
          return `${numeric} ${sqlOperator} ${this.params.bind(value as number)}`;
        }
        return `${location.expr} ${sqlOperator} ${this.params.bind(value as number)}`;
      }
      case 'dateTime': {
        if (this.dialect === 'postgres' && location.postgresTimestamp) {
          return `${location.expr} ${sqlOperator} CAST(${this.params.bind(value as string)} AS timestamptz)`;
        }
        return `${this.ordered(location.expr)} ${sqlOperator} ${this.params.bind(value as string)}`;
      }
      case 'complex':
        throw scimErrors.invalidFilter(`complex attribute "${node.attribute.path}" cannot be compared`);
    }
  }

  /**
   * `co`, `sw` and `ew` are `instr` on SQLite (its LIKE folds ASCII case) and `LIKE` on PostgreSQL,
   * the value's wildcards escaped: PostgreSQL estimates a LIKE pattern from the column's statistics
   * and answers it from a trigram index where there is one, where it guessed a third of the rows for
   * `strpos` and walked the whole workspace for `emails.value co "zzz"` (500 ms at 100,000 members).
   */
  private stringComparison(operator: CompareExpression['operator'], x: string, value: string): string {
    const sqlite = this.dialect === 'sqlite';
    switch (operator) {
      case 'eq':
        return `${x} = ${this.params.bind(value)}`;
      case 'ne':
        return `${x} <> ${this.params.bind(value)}`;
      case 'co':
        return sqlite ? `instr(${x}, ${this.params.bind(value)}) > 0` : `${x} LIKE ${this.params.bind(`%${escapeLike(value)}%`)}`;
      case 'sw':
        return sqlite ? `instr(${x}, ${this.params.bind(value)}) = 1` : `${x} LIKE ${this.params.bind(`${escapeLike(value)}%`)}`;
      case 'ew':
        if (value === '') return `${x} IS NOT NULL`;
        if (sqlite) return `substr(${x}, -length(${this.params.bind(value)})) = ${this.params.bind(value)}`;
        return `${x} LIKE ${this.params.bind(`%${escapeLike(value)}`)}`;
      default:
        return `${this.ordered(x)} ${ORDERING_SQL[operator]} ${this.params.bind(value)}`;
    }
  }

  /** PostgreSQL compares text by collation; "C" gives code-point order like SQLite and JavaScript. */
  ordered(expr: string): string {
    return this.dialect === 'postgres' ? `${expr} COLLATE "C"` : expr;
  }
}

const ORDERING_SQL = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=', co: '', sw: '', ew: '' } as const;

/** A literal for a PostgreSQL LIKE pattern: its wildcards and its escape character (backslash, the default) escaped. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function isStringType(definition: AttributeDefinition): boolean {
  return definition.type === 'string' || definition.type === 'reference' || definition.type === 'binary' || definition.type === 'dateTime';
}

function columnLocation(alias: string, column: SqlColumnMapping): ValueLocation {
  return {
    expr: `${alias}.${q(column.column)}`,
    ...(column.lowercaseColumn !== undefined ? { lowercaseExpr: `${alias}.${q(column.lowercaseColumn)}` } : {}),
    json: false,
    ...(column.postgresTimestamp ? { postgresTimestamp: true } : {}),
  };
}

/** JSON keys of an attribute (without its sub-attribute) inside the stored resource. */
export function jsonKeys(attribute: ResolvedAttribute): string[] {
  return attribute.extension ? [attribute.schemaId, attribute.attribute.name] : [attribute.attribute.name];
}

/** Whether every element `node` matches has an `eq` on one of `seekable` (an index of the child table finds them). */
function pinnedBy(node: FilterNode, seekable: readonly string[]): boolean {
  switch (node.kind) {
    case 'and':
      return node.operands.some((operand) => pinnedBy(operand, seekable));
    case 'or':
      return node.operands.every((operand) => pinnedBy(operand, seekable));
    case 'compare':
      return node.operator === 'eq' && node.value !== null && node.attribute.subAttribute !== undefined && seekable.includes(node.attribute.subAttribute.name);
    default:
      return false;
  }
}

function usesOnlyMapped(node: FilterNode, columns: ReadonlyMap<string, SqlColumnMapping>): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.operands.every((operand) => usesOnlyMapped(operand, columns));
    case 'not':
      return usesOnlyMapped(node.operand, columns);
    case 'valuePath':
      return false;
    case 'present':
    case 'compare':
      return node.attribute.subAttribute !== undefined && columns.has(node.attribute.subAttribute.name.toLowerCase());
  }
}
