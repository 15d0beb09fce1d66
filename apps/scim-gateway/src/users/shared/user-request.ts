import { formatETag, parseETag, type ProjectionRequest, scimErrors } from '@axis/scim';
import type { FastifyReply } from 'fastify';

/** `attributes` / `excludedAttributes` from a query string. */
export function projectionOf(query: Record<string, unknown>): ProjectionRequest {
  const projection: { attributes?: string; excludedAttributes?: string } = {};
  if (typeof query['attributes'] === 'string') projection.attributes = query['attributes'];
  if (typeof query['excludedAttributes'] === 'string') projection.excludedAttributes = query['excludedAttributes'];
  return projection;
}

/** `If-Match: W/"3"` → 3; absent or `*` → undefined (no precondition). */
export function ifMatchRevisionOf(header: string | string[] | undefined): number | undefined {
  if (header === undefined || header === '*') return undefined;
  const value = Array.isArray(header) ? header[0]! : header;
  if (value.trim() === '*') return undefined;
  const revision = parseETag(value);
  if (revision === undefined || !/^-?\d+$/.test(revision)) throw scimErrors.preconditionFailed(`Malformed If-Match: ${value}`);
  return Number(revision);
}

/**
 * Sets the ETag of a resource read at `revision`, and answers 304 when the `If-None-Match` header
 * matches it: true when the caller must then send no body.
 */
export function answersNotModified(reply: FastifyReply, revision: number, ifNoneMatch: string | string[] | undefined): boolean {
  const etag = formatETag(revision);
  void reply.header('ETag', etag);
  if (!matchesIfNoneMatch(ifNoneMatch, etag)) return false;
  void reply.status(304);
  return true;
}

function matchesIfNoneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((value) => value.trim());
  return values.includes('*') || values.some((value) => parseETag(value) === parseETag(etag));
}
