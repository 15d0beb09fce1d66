import type { UserUpdated, UserUpdatedData } from '../users/user.events';
import { roleChanges } from './role-mapping';

/**
 * A change of a member's effective roles, announced on the member's own stream as
 * ACCOUNT_SCIM_USER_UPDATED with `changedAttributes: ['roles']` (so it reaches Kafka, the audit log
 * and webhooks like any member change). `changes` stays empty: product roles are not the SCIM
 * `roles` attribute, which belongs to the IdP.
 */
export interface MemberRolesChangedData extends UserUpdatedData {
  changedAttributes: ['roles'];
  /** The member's effective roles from now on, sorted. */
  roles: string[];
  previousRoles: string[];
  addedRoles: string[];
  removedRoles: string[];
  /** The event type that caused the change (membership, mapping, group deletion). */
  causedBy: string;
}

export function memberRolesChanged(userId: string, previousRoles: readonly string[], roles: readonly string[], causedBy: string): UserUpdated {
  const { added, removed } = roleChanges(previousRoles, roles);
  const data: MemberRolesChangedData = {
    userId,
    changedAttributes: ['roles'],
    changes: {},
    roles: [...roles],
    previousRoles: [...previousRoles],
    addedRoles: added,
    removedRoles: removed,
    causedBy,
  };
  return { type: 'ACCOUNT_SCIM_USER_UPDATED', data };
}

/** Whether a user event announces a role change (and so carries `roles`). */
export function isMemberRolesChange(event: { type: string; data: Record<string, unknown> | object }): boolean {
  const data = event.data as Partial<MemberRolesChangedData>;
  return event.type === 'ACCOUNT_SCIM_USER_UPDATED' && Array.isArray(data.changedAttributes) && data.changedAttributes.includes('roles') && Array.isArray(data.roles);
}
