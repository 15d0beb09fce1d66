import { scimErrors } from '../errors/scim-error';
import { getProperty, isJsonObject, type JsonObject } from '../schemas/resource-access';
import type { ResourceSchema } from '../schemas/schema-registry';
import { GROUP_SCHEMA, USER_SCHEMA } from '../schemas/schema-uris';

/**
 * PatchOp `Operations` in one PATCH request, users and groups alike. Each operation costs a pass
 * over the resource: 15,000 of them (under 1 MiB) held the process for 10 s. ServiceProviderConfig
 * has no field for it (`patch` is only `supported`), so the gateway README and the error say it.
 */
export const PATCH_MAX_OPERATIONS = 1000;

/**
 * Characters of a value the read model indexes. A PostgreSQL btree entry holds ~2,700 bytes: a
 * longer value fails the write (54000) after the event is stored, and the projection with it.
 * 512 characters of 4-byte UTF-8 fit with the other columns of each index.
 */
export const INDEXED_VALUE_MAX_LENGTH = 512;

/**
 * Elements of one multi-valued attribute (emails, phoneNumbers, a custom list …) of one resource.
 * Every list page repeats them: a page of 200 users with thousands of emails each is what this caps.
 * A group's `members` are bounded by the group limits instead.
 */
export const MULTI_VALUED_MAX_ELEMENTS = 100;

/**
 * Characters of a whole resource as JSON. Each string is capped at 16,384 and each multi-valued
 * attribute at 100 elements, yet repeated PATCHes could still grow a user to megabytes, and a list
 * page repeats 200 of them. Measured on the all-in-one, 8 concurrent `GET /Users?count=200` over
 * 200 users of 57 / 29 / 15 KB took RSS from ~230 MB to 1,180 / 796 / 343 MB; 32 Ki keeps room
 * for one longest string beside an ordinary user (an IdP's users are 1–3 KB), and the list page
 * budget (LIST_PAGE_MAX_JSON_LENGTH) bounds a page of such users.
 */
export const RESOURCE_MAX_JSON_LENGTH = 32_768;

/** Attributes whose values the read model indexes, by core schema (paths in canonical names). */
const INDEXED_ATTRIBUTES: Record<string, readonly string[]> = {
  [USER_SCHEMA.toLowerCase()]: ['userName', 'externalId', 'displayName', 'emails.value'],
  [GROUP_SCHEMA.toLowerCase()]: ['displayName', 'externalId'],
};
const UNCOUNTED_ATTRIBUTES: Record<string, readonly string[]> = {
  [GROUP_SCHEMA.toLowerCase()]: ['members'],
};

/**
 * Throws 400 invalidValue, naming the attribute and the limit, when a resource about to be stored
 * holds an indexed value over INDEXED_VALUE_MAX_LENGTH, a multi-valued attribute with more than
 * MULTI_VALUED_MAX_ELEMENTS elements, or is longer than RESOURCE_MAX_JSON_LENGTH as JSON. With `previous` (PUT, PATCH), only what the request made
 * worse counts: a value stored before the limits existed does not block unrelated changes.
 */
export function assertWithinResourceLimits(resource: JsonObject, schema: ResourceSchema, previous?: JsonObject): void {
  const core = schema.coreSchema.id.toLowerCase();
  for (const path of INDEXED_ATTRIBUTES[core] ?? []) {
    const before = new Set(previous ? stringsAt(previous, path) : []);
    const tooLong = stringsAt(resource, path).find((value) => value.length > INDEXED_VALUE_MAX_LENGTH && !before.has(value));
    if (tooLong !== undefined) {
      throw scimErrors.invalidValue(`"${path}" is longer than ${INDEXED_VALUE_MAX_LENGTH} characters (${tooLong.length}), the limit of an attribute the service indexes`);
    }
  }
  const uncounted = new Set((UNCOUNTED_ATTRIBUTES[core] ?? []).map((name) => name.toLowerCase()));
  for (const { attribute, extension, schemaId } of schema.topLevelAttributes) {
    if (!attribute.multiValued || (!extension && uncounted.has(attribute.name.toLowerCase()))) continue;
    const container = extension ? getProperty(resource, schemaId) : resource;
    const value = isJsonObject(container) ? getProperty(container, attribute.name) : undefined;
    if (!Array.isArray(value) || value.length <= MULTI_VALUED_MAX_ELEMENTS) continue;
    const previousContainer = previous && extension ? getProperty(previous, schemaId) : previous;
    const previousValue = isJsonObject(previousContainer) ? getProperty(previousContainer, attribute.name) : undefined;
    if (Array.isArray(previousValue) && previousValue.length >= value.length) continue;
    const name = extension ? `${schemaId}:${attribute.name}` : attribute.name;
    throw scimErrors.invalidValue(`"${name}" has ${value.length} values; a resource may hold at most ${MULTI_VALUED_MAX_ELEMENTS} per attribute`);
  }
  const length = JSON.stringify(resource).length;
  if (length > RESOURCE_MAX_JSON_LENGTH && (previous === undefined || length > JSON.stringify(previous).length)) {
    throw scimErrors.invalidValue(`The resource would be ${length} characters of JSON; a resource may be at most ${RESOURCE_MAX_JSON_LENGTH}`);
  }
}

/** The strings at a canonical path (`emails.value` reads every element's `value`). */
function stringsAt(resource: JsonObject, path: string): string[] {
  const [head, sub] = path.split('.') as [string, string | undefined];
  const value = getProperty(resource, head);
  if (sub === undefined) return typeof value === 'string' ? [value] : [];
  const elements = Array.isArray(value) ? value : [value];
  return elements.flatMap((element) => {
    const inner = isJsonObject(element) ? getProperty(element, sub) : undefined;
    return typeof inner === 'string' ? [inner] : [];
  });
}
