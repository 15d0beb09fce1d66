/**
 * Event types as downstream consumers see them (CloudEvents `type`, webhook event names):
 * `ACCOUNT_SCIM_USER_CREATED` → `platform.scim.user.created`.
 */
export function cloudEventTypeOf(eventType: string): string {
  const match = /^(?:ACCOUNT|TENANT)_(?:SCIM_)?([A-Z]+)_([A-Z_]+)$/.exec(eventType);
  if (match) return `platform.scim.${match[1]!.toLowerCase()}.${match[2]!.toLowerCase().replace(/_/g, '-')}`;
  return `platform.scim.${eventType.toLowerCase().replace(/_/g, '-')}`;
}
