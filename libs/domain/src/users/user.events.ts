import type { DomainEvent } from '../shared/event-metadata';

/** The SCIM attributes the product stores for a user (core + enterprise extension), as JSON. */
export type UserAttributes = Record<string, unknown>;

export interface UserCreatedData {
  userId: string;
  userName: string;
  /** Always present, null when the IdP sent none, so the audit trail can show the source. */
  externalId: string | null;
  active: boolean;
  attributes: UserAttributes;
  /** See IgnoredAttributesData. */
  ignoredAttributes?: string[];
}

/**
 * On the first event of a SCIM operation: the request's attributes that no schema of the workspace
 * defines (unknown core or extension attributes, unknown extension URNs, deprecated custom
 * attributes), as the request spelled them, at most 50. They were ignored; the admin sees them in
 * the Security Console. Absent when nothing was ignored.
 */
export interface IgnoredAttributesData {
  ignoredAttributes?: string[];
}

export interface UserUpdatedData extends IgnoredAttributesData {
  userId: string;
  /** Attribute paths that really changed, e.g. `name.givenName`, `emails`. */
  changedAttributes: string[];
  /** New values of the changed top-level attributes; null means removed. */
  changes: UserAttributes;
}

export interface UserIdData extends IgnoredAttributesData {
  userId: string;
}

/** An account that existed before SCIM (created by an admin), not managed by the IdP yet. */
export interface LocalMemberCreatedData {
  userId: string;
  userName: string;
  email: string;
  displayName: string | null;
}

/**
 * A local account linked to the IdP's record on first sync (or by an admin): the member keeps its
 * id and sessions and becomes SCIM-managed with the IdP's attributes.
 */
export interface UserMergedData extends UserCreatedData {
  /** `auto` on a SCIM create whose email matched; `admin` when an admin merged from Settings → Members. */
  mergedBy: 'auto' | 'admin';
}

export type UserCreated = DomainEvent<'ACCOUNT_SCIM_USER_CREATED', UserCreatedData>;
export type UserUpdated = DomainEvent<'ACCOUNT_SCIM_USER_UPDATED', UserUpdatedData>;
export type UserDeactivated = DomainEvent<'ACCOUNT_SCIM_USER_DEACTIVATED', UserIdData>;
export type UserReactivated = DomainEvent<'ACCOUNT_SCIM_USER_REACTIVATED', UserIdData>;
export type UserDeleted = DomainEvent<'ACCOUNT_SCIM_USER_DELETED', UserIdData>;
export type LocalMemberCreated = DomainEvent<'ACCOUNT_LOCAL_MEMBER_CREATED', LocalMemberCreatedData>;
export type UserMerged = DomainEvent<'ACCOUNT_SCIM_USER_MERGED', UserMergedData>;
/** With auto-merge off, an admin allows the IdP's next create with this email to link the account. */
export type LocalMemberMergeApproved = DomainEvent<'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED', UserIdData>;

export type UserEvent =
  | UserCreated
  | UserUpdated
  | UserDeactivated
  | UserReactivated
  | UserDeleted
  | LocalMemberCreated
  | LocalMemberMergeApproved
  | UserMerged;

export const USER_EVENT_TYPES: ReadonlyArray<UserEvent['type']> = [
  'ACCOUNT_SCIM_USER_CREATED',
  'ACCOUNT_SCIM_USER_UPDATED',
  'ACCOUNT_SCIM_USER_DEACTIVATED',
  'ACCOUNT_SCIM_USER_REACTIVATED',
  'ACCOUNT_SCIM_USER_DELETED',
  'ACCOUNT_LOCAL_MEMBER_CREATED',
  'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED',
  'ACCOUNT_SCIM_USER_MERGED',
];

export function isUserEvent(event: { type: string }): event is UserEvent {
  return (USER_EVENT_TYPES as readonly string[]).includes(event.type);
}
