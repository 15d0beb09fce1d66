export interface ResourceMeta {
  resourceType: string;
  created: string;
  lastModified: string;
  location: string;
  version: string;
}

export interface ResourceMetaInput {
  readonly resourceType: string;
  /** Base URL of the SCIM service, e.g. https://acme.axissynapse.com/scim/v2 */
  readonly baseUrl: string;
  /** Endpoint of the resource type, e.g. /Users */
  readonly endpoint: string;
  readonly id: string;
  readonly created: string | Date;
  readonly lastModified: string | Date;
  /** Stream revision; the version is its weak ETag. */
  readonly revision: number | bigint | string;
}

/** Weak ETag of a stream revision: `W/"<revision>"` (also `meta.version`). */
export function formatETag(revision: number | bigint | string): string {
  return `W/"${String(revision)}"`;
}

/** Parses `W/"12"` or `"12"` back to the revision text; undefined for `*` or malformed values. */
export function parseETag(etag: string): string | undefined {
  const match = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(etag);
  return match === null ? undefined : match[1];
}

export function resourceLocation(baseUrl: string, endpoint: string, id: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  const path = endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
  return `${base}${path}/${encodeURIComponent(id)}`;
}

/** The RFC 7643 §3.1 `meta` block; `location` equals the Location header on create. */
export function buildResourceMeta(input: ResourceMetaInput): ResourceMeta {
  const iso = (value: string | Date): string => (value instanceof Date ? value.toISOString() : value);
  return {
    resourceType: input.resourceType,
    created: iso(input.created),
    lastModified: iso(input.lastModified),
    location: resourceLocation(input.baseUrl, input.endpoint, input.id),
    version: formatETag(input.revision),
  };
}
