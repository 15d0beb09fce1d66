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
}

export interface UserUpdatedData {
  userId: string;
  /** Attribute paths that really changed, e.g. `name.givenName`, `emails`. */
  changedAttributes: string[];
  /** New values of the changed top-level attributes; null means removed. */
  changes: UserAttributes;
}

export interface UserIdData {
  userId: string;
}

export type UserCreated = DomainEvent<'ACCOUNT_SCIM_USER_CREATED', UserCreatedData>;
export type UserUpdated = DomainEvent<'ACCOUNT_SCIM_USER_UPDATED', UserUpdatedData>;
export type UserDeactivated = DomainEvent<'ACCOUNT_SCIM_USER_DEACTIVATED', UserIdData>;
export type UserReactivated = DomainEvent<'ACCOUNT_SCIM_USER_REACTIVATED', UserIdData>;
export type UserDeleted = DomainEvent<'ACCOUNT_SCIM_USER_DELETED', UserIdData>;

export type UserEvent = UserCreated | UserUpdated | UserDeactivated | UserReactivated | UserDeleted;

export const USER_EVENT_TYPES: ReadonlyArray<UserEvent['type']> = [
  'ACCOUNT_SCIM_USER_CREATED',
  'ACCOUNT_SCIM_USER_UPDATED',
  'ACCOUNT_SCIM_USER_DEACTIVATED',
  'ACCOUNT_SCIM_USER_REACTIVATED',
  'ACCOUNT_SCIM_USER_DELETED',
];

export function isUserEvent(event: { type: string }): event is UserEvent {
  return (USER_EVENT_TYPES as readonly string[]).includes(event.type);
}
