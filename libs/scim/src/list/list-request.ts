import { scimErrors } from '../errors/scim-error';
import { FILTER_MAX_RESULTS } from '../schemas/discovery-documents';
import { LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA } from '../schemas/schema-uris';
import { getProperty, isJsonObject } from '../schemas/resource-access';
import { parseSortOrder, SortOrder } from './sort-resolver';

export interface Paging {
  /** 1-based. */
  readonly startIndex: number;
  /** 0 means "only totalResults". */
  readonly count: number;
}

export interface ListRequest extends Paging {
  readonly filter?: string;
  readonly sortBy?: string;
  readonly sortOrder: SortOrder;
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
}

export interface ListOptions {
  /** Cap for `count`, and its default. */
  readonly maxResults?: number;
}

export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  itemsPerPage: number;
  startIndex: number;
  Resources: T[];
}

/**
 * The largest startIndex a request keeps. A larger one (2^63, 1e308) cannot be an SQL OFFSET and,
 * past any workspace's size, would answer the same empty page: it is clamped here, before any store
 * sees it, so every store answers that page instead of failing on the number.
 */
export const MAX_START_INDEX = 2_147_483_647;

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return parseInt(value, 10);
  return undefined;
}

/**
 * RFC 7644 §3.4.2.4: startIndex below 1 (or unreadable) is 1; count is capped at maxResults,
 * negative is 0, and absent or unreadable means maxResults. startIndex is clamped to MAX_START_INDEX.
 */
export function normalizePaging(startIndex: unknown, count: unknown, options: ListOptions = {}): Paging {
  const maxResults = options.maxResults ?? FILTER_MAX_RESULTS;
  const start = toInteger(startIndex);
  const requested = toInteger(count);
  return {
    startIndex: start === undefined || start < 1 ? 1 : Math.min(start, MAX_START_INDEX),
    count: requested === undefined ? maxResults : Math.min(Math.max(requested, 0), maxResults),
  };
}

/**
 * Characters of JSON the resources of one list page may add up to. 200 users near the 32 Ki
 * resource cap made a 5.9 MB page, and 8 such requests at once took the all-in-one from 230 to
 * 790 MB of RSS; with this budget 400 MB. Ordinary pages (200 users of 1–3 KB) never reach it.
 */
export const LIST_PAGE_MAX_JSON_LENGTH = 2 * 1024 * 1024;

/**
 * The first items of a page whose JSON (as `jsonOf` gives it) fits LIST_PAGE_MAX_JSON_LENGTH, at
 * least one. RFC 7644 §3.4.2.4: a service provider may return fewer results than `count`;
 * `itemsPerPage` says how many, and the client's next `startIndex` follows from it.
 */
export function fitPageToBudget<T>(items: readonly T[], jsonOf: (item: T) => unknown, budget = LIST_PAGE_MAX_JSON_LENGTH): T[] {
  let remaining = budget;
  let kept = 0;
  for (const item of items) {
    remaining -= JSON.stringify(jsonOf(item))?.length ?? 0;
    if (remaining < 0 && kept > 0) break;
    kept++;
  }
  return kept === items.length ? [...items] : items.slice(0, kept);
}

/** LIMIT/OFFSET for a page. */
export function toSqlPaging(paging: Paging): { limit: number; offset: number } {
  return { limit: paging.count, offset: paging.startIndex - 1 };
}

/** One page of an already sorted in-memory list. */
export function paginate<T>(items: readonly T[], paging: Paging): T[] {
  return items.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count);
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw scimErrors.invalidValue(`"${name}" must be a string`);
  return value;
}

function attributeList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw scimErrors.invalidValue(`"${name}" must be a list of attribute paths`);
    for (const part of item.split(',')) if (part.trim() !== '') out.push(part.trim());
  }
  return out.length === 0 ? undefined : out;
}

/** Reads GET list query parameters (names matched case-insensitively; a repeated parameter counts once). */
export function parseListQuery(query: Record<string, unknown>, options: ListOptions = {}): ListRequest {
  const get = (name: string): unknown => first(getProperty(query, name));
  return buildListRequest(get, options);
}

/** Reads a POST `/.search` body (RFC 7644 §3.4.3). */
export function parseSearchRequest(body: unknown, options: ListOptions = {}): ListRequest {
  if (!isJsonObject(body)) throw scimErrors.invalidSyntax('Search body must be a JSON object');
  const schemas = getProperty(body, 'schemas');
  const lc = SEARCH_REQUEST_SCHEMA.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === lc)) {
    throw scimErrors.invalidSyntax(`Search body "schemas" must include ${SEARCH_REQUEST_SCHEMA}`);
  }
  return buildListRequest((name) => getProperty(body, name), options);
}

function buildListRequest(get: (name: string) => unknown, options: ListOptions): ListRequest {
  const paging = normalizePaging(get('startIndex'), get('count'), options);
  const filter = optionalString(get('filter'), 'filter');
  const sortBy = optionalString(get('sortBy'), 'sortBy');
  const attributes = attributeList(get('attributes'), 'attributes');
  const excludedAttributes = attributeList(get('excludedAttributes'), 'excludedAttributes');
  return {
    ...paging,
    sortOrder: parseSortOrder(get('sortOrder')),
    ...(filter !== undefined && filter.trim() !== '' ? { filter } : {}),
    ...(sortBy !== undefined && sortBy.trim() !== '' ? { sortBy } : {}),
    ...(attributes ? { attributes } : {}),
    ...(excludedAttributes ? { excludedAttributes } : {}),
  };
}

/** ListResponse body; numbers are integers, and `startIndex` echoes the normalised request. */
export function buildListResponse<T>(resources: readonly T[], totalResults: number, paging: Pick<Paging, 'startIndex'>): ListResponse<T> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    itemsPerPage: resources.length,
    startIndex: paging.startIndex,
    Resources: [...resources],
  };
}
