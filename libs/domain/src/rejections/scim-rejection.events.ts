import { SCIM_ERROR_CODES, type ScimErrorCode } from '@axis/scim';
import type { DomainEvent } from '../shared/event-metadata';

/** Why a SCIM request was refused before it reached a resource. */
export type UnauthorizedReason = 'missing-token' | 'unknown-token' | 'revoked-token' | 'wrong-workspace';

/**
 * A refused SCIM request as the Security Console shows it. Recording is throttled per process
 * (one per workspace and reason per window); `suppressed` counts the refusals of the same kind
 * this process saw but did not record since the previous one.
 */
export interface ScimRejectionData {
  workspaceId: string;
  method: string;
  /** Path without the query string, which may carry personal data in a filter. */
  path: string;
  /** Visible prefix of the token presented, when it is one of ours; never the token. */
  tokenPrefix: string | null;
  sourceIp: string | null;
  suppressed: number;
}

export interface ScimUnauthorizedData extends ScimRejectionData {
  reason: UnauthorizedReason;
}

export interface ScimRateLimitedData extends ScimRejectionData {
  limitPerSecond: number;
  burst: number;
  retryAfterSeconds: number;
}

/** An authenticated SCIM request refused for what it asked (bad filter, wrong schemas, conflict …). */
export interface ScimRequestRejectedData extends ScimRejectionData {
  status: number;
  scimType: string | null;
  /** The error's detail as the IdP received it: names attributes and positions, never values. */
  detail: string;
}

/** The product error code is the event type, as in the documented audit codes. */
export type ScimRequestRejectionCode = `SCIM_${string}`;

/**
 * A SCIM request that changed nothing but named attributes no schema of the workspace defines
 * (typically an IdP mapping pointing at an undefined custom attribute). A request that changed
 * something lists them on its own event instead (`ignoredAttributes`). Throttled like the others,
 * per workspace and list of names.
 */
export interface ScimAttributesIgnoredData extends ScimRejectionData {
  /** The user the request addressed. */
  userId: string;
  ignoredAttributes: string[];
}

export type ScimUnauthorized = DomainEvent<'SCIM_UNAUTHORIZED', ScimUnauthorizedData>;
export type ScimAttributesIgnored = DomainEvent<'SCIM_ATTRIBUTES_IGNORED', ScimAttributesIgnoredData>;
export type ScimRateLimited = DomainEvent<'SCIM_RATE_LIMITED', ScimRateLimitedData>;

export type ScimRequestRejected = DomainEvent<ScimRequestRejectionCode, ScimRequestRejectedData>;

/** Rejections recorded in a workspace's `rejection-<id>.log` stream. */
export type ScimRejection = ScimUnauthorized | ScimRateLimited | ScimRequestRejected | ScimAttributesIgnored;

/**
 * Product error codes the gateway never records as a refused request: a 404 is a lookup, not a
 * mistake, and a 5xx is the service's failure, not the request's. Unauthenticated and rate-limited
 * requests have their own events (SCIM_UNAUTHORIZED, SCIM_RATE_LIMITED), recorded by the guard.
 */
const CODES_NOT_RECORDED_AS_REQUEST_REJECTED: readonly ScimErrorCode[] = [
  'SCIM_NOT_FOUND',
  'SCIM_NOT_IMPLEMENTED',
  'SCIM_READ_TIMEOUT',
  'SCIM_INTERNAL',
  'SCIM_UNAUTHORIZED',
  'SCIM_RATE_LIMITED',
];

/** The codes an authenticated, refused SCIM request is recorded under (ScimRequestRejectedData). */
export const SCIM_REQUEST_REJECTION_CODES: readonly ScimErrorCode[] = SCIM_ERROR_CODES.filter(
  (code) => !CODES_NOT_RECORDED_AS_REQUEST_REJECTED.includes(code),
);

export function isRecordedRequestRejection(code: string): boolean {
  return (SCIM_REQUEST_REJECTION_CODES as readonly string[]).includes(code);
}

/** Every event type of a workspace's `rejection-<id>.log` stream. */
export const SCIM_REJECTION_EVENT_TYPES: readonly string[] = ['SCIM_UNAUTHORIZED', 'SCIM_RATE_LIMITED', 'SCIM_ATTRIBUTES_IGNORED', ...SCIM_REQUEST_REJECTION_CODES];
