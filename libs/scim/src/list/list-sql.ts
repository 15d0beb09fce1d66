import { parseFilter } from '../filter/filter-parser';
import { compileFilterToSql } from '../filter/sql-filter-compiler';
import type { SqlCompileOptions, SqlFragment, SqlResourceMapping } from '../filter/sql-mapping';
import type { ResourceSchema } from '../schemas/schema-registry';
import { type ListRequest, toSqlPaging } from './list-request';
import { compileSortToSql, resolveSortBy } from './sort-resolver';

/** A list request as a parameterised SQL search: its filter, its sortBy (parameters after the filter's) and its page. */
export interface SqlListQuery {
  where?: SqlFragment;
  orderBy?: SqlFragment;
  offset: number;
  limit: number;
}

/**
 * Compiles `GET /<Resources>` and `POST /<Resources>/.search` for a store: the filter and sortBy
 * become parameterised SQL over `mapping` (never string-built from input), `paramOffset` counting
 * the parameters the store's own query binds first.
 */
export function compileListRequestToSql(request: ListRequest, schema: ResourceSchema, mapping: SqlResourceMapping, options: SqlCompileOptions): SqlListQuery {
  const paramOffset = options.paramOffset ?? 0;
  const where = request.filter === undefined ? undefined : compileFilterToSql(parseFilter(request.filter, schema), mapping, { ...options, paramOffset });
  const orderBy =
    request.sortBy === undefined
      ? undefined
      : compileSortToSql(resolveSortBy(request.sortBy, schema), request.sortOrder, mapping, {
          ...options,
          paramOffset: paramOffset + (where?.params.length ?? 0),
        });
  return { ...(where ? { where } : {}), ...(orderBy ? { orderBy } : {}), ...toSqlPaging(request) };
}
