/** The documentation's audit codes, in the words the Security Console shows beside them. */
export const EVENT_NAMES: Record<string, string> = {
  TENANT_SCIM_TOKEN_CREATED: 'SCIM token generated',
  TENANT_SCIM_TOKEN_REVOKED: 'SCIM token revoked',
  TENANT_ADMIN_KEY_CREATED: 'Admin key created',
  TENANT_ADMIN_KEY_REVOKED: 'Admin key revoked',
  TENANT_WORKSPACE_CREATED: 'Workspace created',
  TENANT_SCIM_SETTINGS_CHANGED: 'SCIM settings changed',
  TENANT_ROLE_MAPPING_SET: 'Role mapping set',
  TENANT_CUSTOM_ATTRIBUTE_ADDED: 'Custom attribute defined',
  TENANT_CUSTOM_ATTRIBUTE_CHANGED: 'Custom attribute changed',
  TENANT_CUSTOM_ATTRIBUTE_DEPRECATED: 'Custom attribute deprecated',
  TENANT_CUSTOM_ATTRIBUTE_RESTORED: 'Custom attribute restored',
  TENANT_WEBHOOK_CREATED: 'Webhook endpoint added',
  TENANT_WEBHOOK_UPDATED: 'Webhook endpoint changed',
  TENANT_WEBHOOK_DISABLED: 'Webhook endpoint disabled',
  TENANT_WEBHOOK_DELETED: 'Webhook endpoint deleted',
  TENANT_WEBHOOK_REDELIVERY_REQUESTED: 'Webhook delivery retried',
  ACCOUNT_SCIM_USER_CREATED: 'New user provisioned',
  ACCOUNT_SCIM_USER_UPDATED: 'User attributes changed',
  ACCOUNT_SCIM_USER_DEACTIVATED: 'User deactivated upstream (sessions revoked)',
  ACCOUNT_SCIM_USER_REACTIVATED: 'User re-enabled upstream',
  ACCOUNT_SCIM_USER_DELETED: 'User deleted upstream',
  ACCOUNT_SCIM_USER_MERGED: 'SCIM user merged with a local account',
  ACCOUNT_LOCAL_MEMBER_CREATED: 'Local member created',
  ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED: 'Merge approved',
  ACCOUNT_SCIM_GROUP_CREATED: 'Group provisioned',
  ACCOUNT_SCIM_GROUP_UPDATED: 'Group changed',
  ACCOUNT_SCIM_GROUP_RENAMED: 'Group renamed',
  ACCOUNT_SCIM_GROUP_DELETED: 'Group deleted',
  ACCOUNT_SCIM_GROUP_MEMBERS_ADDED: 'Members added to a group',
  ACCOUNT_SCIM_GROUP_MEMBERS_REMOVED: 'Members removed from a group',
  SCIM_UNAUTHORIZED: 'Rejected: missing or invalid bearer token',
  SCIM_USER_CONFLICT: 'Rejected: same email as an existing local account',
  SCIM_INVALID_FILTER: 'Rejected: unsupported SCIM filter',
  SCIM_SCHEMA_MISMATCH: 'Rejected: not the SCIM 2.0 user schema',
  SCIM_RATE_LIMITED: 'Rejected: workspace request quota exceeded',
  SCIM_PAYLOAD_TOO_LARGE: 'Rejected: request body too large',
  SCIM_ATTRIBUTES_IGNORED: 'Attributes ignored: not defined in the workspace',
};

/** Rejected operations carry their product error code as the event code (`SCIM_…`). */
export function isRejection(code: string): boolean {
  return code.startsWith('SCIM_') && code !== 'SCIM_ATTRIBUTES_IGNORED';
}

export function eventName(code: string): string {
  return EVENT_NAMES[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

/** Codes whose target is a member (a member page exists for it). */
export function targetsMember(code: string): boolean {
  return code.startsWith('ACCOUNT_SCIM_USER_') || code.startsWith('ACCOUNT_LOCAL_MEMBER_');
}

/** Entries caused by a SCIM request: the SCIM request log has the request (admin actions are not SCIM requests). */
export function fromScimRequest(entry: { code: string; actor: string }): boolean {
  return entry.code.startsWith('SCIM_') || entry.actor.startsWith('token:');
}

/**
 * What an audit entry's target reads as: the member's userName (or externalId), else, for admin
 * keys and SCIM tokens, the credential's visible prefix (the events carry it) rather than its id.
 */
export function targetText(entry: { target: { id: string | null; externalId: string | null; userName: string | null }; details: { [key: string]: unknown } }): string {
  const { target, details } = entry;
  if (target.userName ?? target.externalId) return (target.userName ?? target.externalId)!;
  const prefix = details['prefix'];
  if (typeof prefix === 'string') return prefix.startsWith('adm_') ? `admin key ${prefix}` : prefix.startsWith('scim_') ? `SCIM token ${prefix}` : prefix;
  return target.id ?? '—';
}
