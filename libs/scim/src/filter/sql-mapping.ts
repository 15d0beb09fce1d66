import { ENTERPRISE_USER_SCHEMA } from '../schemas/schema-uris';

export type SqlDialect = 'postgres' | 'sqlite';
/** A bound parameter. Booleans become 1/0 on SQLite; string arrays are PostgreSQL text[] JSON paths. */
export type SqlParam = string | number | boolean | readonly string[];

export interface SqlFragment {
  readonly sql: string;
  readonly params: SqlParam[];
}

export interface SqlCompileOptions {
  readonly dialect: SqlDialect;
  /** Number of parameters already used by the surrounding query: PostgreSQL placeholders start at `$<offset+1>`. */
  readonly paramOffset?: number;
  /**
   * The workspace searched: bound into value filters over child tables so that they read only that
   * workspace's elements (through the child's workspace index) rather than every workspace's.
   */
  readonly workspaceId?: string;
}

export interface SqlColumnMapping {
  readonly column: string;
  /**
   * Column holding the value lowercased with JavaScript's `String.prototype.toLowerCase()`; used for
   * caseExact:false comparisons and sorting. Without it the compiler uses SQL `lower(column)`.
   */
  readonly lowercaseColumn?: string;
  /** PostgreSQL only: the column is `timestamptz` rather than canonical ISO-8601 text. */
  readonly postgresTimestamp?: boolean;
}

/** A child table holding one row per element of a multi-valued attribute. */
export interface SqlMultiValuedMapping {
  readonly table: string;
  readonly alias: string;
  /** Column referencing the parent resource's id column. */
  readonly parentKeyColumn: string;
  /** When set (and the search names its workspace) a value filter reads only that workspace's rows. */
  readonly workspaceColumn?: string;
  /**
   * Sub-attributes whose `eq` an index of the child table on (workspace, column) answers: a value
   * filter pinned by one of them is found by that index instead of by each parent's elements.
   */
  readonly seekableSubAttributes?: readonly string[];
  /** Keyed by sub-attribute name (any case). Filters using an unmapped sub-attribute fall back to the JSON column. */
  readonly subAttributes: Readonly<Record<string, SqlColumnMapping>>;
}

/**
 * Where a resource type's filterable data lives. Table, alias and column names are trusted
 * configuration (checked to be plain identifiers); filter input only ever becomes parameters.
 */
export interface SqlResourceMapping {
  readonly table: string;
  readonly alias: string;
  readonly idColumn: string;
  readonly workspaceColumn?: string;
  /** Full SCIM resource with canonical attribute names: `jsonb` on PostgreSQL, JSON text on SQLite. */
  readonly resourceColumn: string;
  /** Keyed by canonical attribute path, any case: "userName", "name.givenName", "meta.created", "urn:…:User:department". */
  readonly columns: Readonly<Record<string, SqlColumnMapping>>;
  /** Keyed by multi-valued attribute path, any case: "emails", "members". Others are read from the JSON column. */
  readonly multiValued: Readonly<Record<string, SqlMultiValuedMapping>>;
}

/** `members` (alias m) and `member_emails` (alias e) of the read model. */
export const DEFAULT_USER_SQL_MAPPING: SqlResourceMapping = {
  table: 'members',
  alias: 'm',
  idColumn: 'id',
  workspaceColumn: 'workspace_id',
  resourceColumn: 'resource',
  columns: {
    id: { column: 'id' },
    userName: { column: 'user_name', lowercaseColumn: 'user_name_lc' },
    externalId: { column: 'external_id' },
    displayName: { column: 'display_name' },
    active: { column: 'active' },
    'name.givenName': { column: 'given_name' },
    'name.familyName': { column: 'family_name' },
    'meta.created': { column: 'created_at' },
    'meta.lastModified': { column: 'updated_at' },
  },
  multiValued: {
    emails: {
      table: 'member_emails',
      alias: 'e',
      parentKeyColumn: 'member_id',
      workspaceColumn: 'workspace_id',
      seekableSubAttributes: ['value'],
      subAttributes: {
        value: { column: 'value', lowercaseColumn: 'value_lc' },
        type: { column: 'type' },
        primary: { column: 'primary' },
      },
    },
  },
};

/** `groups` (alias g) and `group_members` (alias gm) of the read model. */
export const DEFAULT_GROUP_SQL_MAPPING: SqlResourceMapping = {
  table: 'groups',
  alias: 'g',
  idColumn: 'id',
  workspaceColumn: 'workspace_id',
  resourceColumn: 'resource',
  columns: {
    id: { column: 'id' },
    displayName: { column: 'display_name', lowercaseColumn: 'display_name_lc' },
    externalId: { column: 'external_id' },
    'meta.created': { column: 'created_at' },
    'meta.lastModified': { column: 'updated_at' },
  },
  multiValued: {
    members: {
      table: 'group_members',
      alias: 'gm',
      parentKeyColumn: 'group_id',
      workspaceColumn: 'workspace_id',
      seekableSubAttributes: ['value'],
      subAttributes: { value: { column: 'member_id' } },
    },
  },
};

/** Keys used by mappings for enterprise attributes, for callers adding columns for them. */
export const ENTERPRISE_ATTRIBUTE_PATH_PREFIX = `${ENTERPRISE_USER_SCHEMA}:`;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface PreparedSqlMapping {
  readonly source: SqlResourceMapping;
  readonly columns: ReadonlyMap<string, SqlColumnMapping>;
  readonly multiValued: ReadonlyMap<string, { mapping: SqlMultiValuedMapping; subAttributes: ReadonlyMap<string, SqlColumnMapping> }>;
}

const prepared = new WeakMap<SqlResourceMapping, PreparedSqlMapping>();

function assertIdentifier(name: string | undefined, what: string): void {
  if (name !== undefined && !IDENTIFIER.test(name)) throw new TypeError(`SQL mapping: ${what} "${name}" is not a plain identifier`);
}

function assertColumn(column: SqlColumnMapping, what: string): void {
  assertIdentifier(column.column, what);
  assertIdentifier(column.lowercaseColumn, `${what} lowercase column`);
}

/** Validates identifiers once and indexes keys case-insensitively; cached per mapping object. */
export function prepareSqlMapping(mapping: SqlResourceMapping): PreparedSqlMapping {
  const cached = prepared.get(mapping);
  if (cached !== undefined) return cached;
  assertIdentifier(mapping.table, 'table');
  assertIdentifier(mapping.alias, 'alias');
  assertIdentifier(mapping.idColumn, 'id column');
  assertIdentifier(mapping.workspaceColumn, 'workspace column');
  assertIdentifier(mapping.resourceColumn, 'resource column');
  const columns = new Map<string, SqlColumnMapping>();
  for (const [path, column] of Object.entries(mapping.columns)) {
    assertColumn(column, `column for ${path}`);
    columns.set(path.toLowerCase(), column);
  }
  const multiValued = new Map<string, { mapping: SqlMultiValuedMapping; subAttributes: ReadonlyMap<string, SqlColumnMapping> }>();
  for (const [path, child] of Object.entries(mapping.multiValued)) {
    assertIdentifier(child.table, `table for ${path}`);
    assertIdentifier(child.alias, `alias for ${path}`);
    assertIdentifier(child.parentKeyColumn, `parent key for ${path}`);
    assertIdentifier(child.workspaceColumn, `workspace column for ${path}`);
    if (child.alias === mapping.alias) throw new TypeError(`SQL mapping: alias for ${path} must differ from ${mapping.alias}`);
    const subAttributes = new Map<string, SqlColumnMapping>();
    for (const [name, column] of Object.entries(child.subAttributes)) {
      assertColumn(column, `column for ${path}.${name}`);
      subAttributes.set(name.toLowerCase(), column);
    }
    multiValued.set(path.toLowerCase(), { mapping: child, subAttributes });
  }
  const result = { source: mapping, columns, multiValued };
  prepared.set(mapping, result);
  return result;
}

export function quoteIdentifier(name: string): string {
  return `"${name}"`;
}
