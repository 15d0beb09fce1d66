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
