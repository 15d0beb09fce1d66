import { CUSTOM_ATTRIBUTE_EVENT_TYPES } from './custom-attributes/custom-attribute';
import { GROUP_EVENT_TYPES } from './groups/group.events';
import { ROLE_MAPPING_EVENT_TYPES } from './groups/role-mapping';
import { SCIM_REJECTION_EVENT_TYPES } from './rejections/scim-rejection.events';
import { USER_EVENT_TYPES } from './users/user.events';
import { WEBHOOK_EVENT_TYPES } from './webhooks/webhook.events';
import { SCIM_SETTINGS_EVENT_TYPES } from './workspaces/scim-settings';
import { WORKSPACE_EVENT_TYPES } from './workspaces/workspace.events';

/**
 * Every event type the domain appends, from each stream's own list. What leaves the platform is
 * decided by the notifier (docs/asyncapi.yaml must describe each of those); this is the catalogue
 * it and the contract tests start from.
 */
export const DOMAIN_EVENT_TYPES: readonly string[] = [
  ...USER_EVENT_TYPES,
  ...GROUP_EVENT_TYPES,
  ...WORKSPACE_EVENT_TYPES,
  ...SCIM_SETTINGS_EVENT_TYPES,
  ...ROLE_MAPPING_EVENT_TYPES,
  ...CUSTOM_ATTRIBUTE_EVENT_TYPES,
  ...SCIM_REJECTION_EVENT_TYPES,
  ...WEBHOOK_EVENT_TYPES,
];
