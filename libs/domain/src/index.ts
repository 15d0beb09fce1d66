export type { DomainEvent, EventMetadata, IdpDialect } from './shared/event-metadata';
export type { Decider } from './shared/decider';
export { userDecider } from './users/user.decider';
export { groupDecider } from './groups/group.decider';
export { roleMappingDecider } from './groups/role-mapping';
export { customAttributeDecider } from './custom-attributes/custom-attribute';
export { scimSettingsDecider } from './workspaces/scim-settings';
export { workspaceDecider } from './workspaces/workspace.decider';
export { webhookDecider } from './webhooks/webhook.decider';
export { STREAM_CATEGORY, parseStreamName, rejectionStreamName, userStreamName, workspaceStreamName } from './shared/stream-names';
export type {
  AdminKeyCreated,
  AdminKeyCreatedData,
  AdminKeyRevoked,
  AdminKeyRevokedData,
  CredentialIssuedData,
  ScimTokenCreated,
  ScimTokenCreatedData,
  ScimTokenRevoked,
  ScimTokenRevokedData,
  WorkspaceCreated,
  WorkspaceCreatedData,
  WorkspaceEvent,
} from './workspaces/workspace.events';
export { WORKSPACE_EVENT_TYPES, isWorkspaceEvent } from './workspaces/workspace.events';
export type {
  CreateAdminKey,
  CreateScimToken,
  CreateWorkspace,
  CredentialState,
  NewCredential,
  RevokeAdminKey,
  RevokeScimToken,
  WorkspaceCommand,
  WorkspaceState,
} from './workspaces/workspace.decider';
export {
  WORKSPACE_SLUG_PATTERN,
  WorkspaceRuleViolation,
  decideWorkspace,
  evolveWorkspace,
  initialWorkspaceState,
} from './workspaces/workspace.decider';
export type {
  ScimAttributesIgnored,
  ScimAttributesIgnoredData,
  ScimRateLimited,
  ScimRateLimitedData,
  ScimRejection,
  ScimRejectionData,
  ScimRequestRejected,
  ScimRequestRejectedData,
  ScimRequestRejectionCode,
  ScimUnauthorized,
  ScimUnauthorizedData,
  UnauthorizedReason,
} from './rejections/scim-rejection.events';
export { cloudEventTypeOf } from './shared/cloud-event-types';
export { DOMAIN_EVENT_TYPES } from './event-types';
export { SCIM_REJECTION_EVENT_TYPES, SCIM_REQUEST_REJECTION_CODES, isRecordedRequestRejection } from './rejections/scim-rejection.events';
export type {
  IgnoredAttributesData,
  UserAttributes,
  UserCreated,
  UserCreatedData,
  UserDeactivated,
  UserDeleted,
  UserEvent,
  UserIdData,
  LocalMemberCreated,
  LocalMemberCreatedData,
  UserMerged,
  LocalMemberMergeApproved,
  UserMergedData,
  UserReactivated,
  UserUpdated,
  UserUpdatedData,
} from './users/user.events';
export { USER_EVENT_TYPES, isUserEvent } from './users/user.events';
export type {
  ApproveMerge,
  CreateLocalMember,
  CreateUser,
  DeleteUser,
  ExistingUser,
  MergeScimUser,
  PatchUser,
  ReplaceUser,
  UserCommand,
  UserDecision,
  UserState,
} from './users/user.decider';
export {
  MAX_IGNORED_ATTRIBUTES,
  UserRuleViolation,
  applyChanges,
  decideUser,
  decideUserWithReport,
  evolveUser,
  initialUserState,
  localAttributesOf,
  withoutSecrets,
} from './users/user.decider';
export type {
  WebhookCreated,
  WebhookCreatedData,
  WebhookDeleted,
  WebhookDisabled,
  WebhookDisabledData,
  WebhookDisabledReason,
  WebhookEvent,
  WebhookIdData,
  WebhookRedeliveryRequested,
  WebhookRedeliveryRequestedData,
  WebhookUpdated,
  WebhookUpdatedData,
} from './webhooks/webhook.events';
export { WEBHOOK_EVENT_TYPES, WEBHOOK_STREAM_CATEGORY, isWebhookEvent, webhookStreamName } from './webhooks/webhook.events';
export { isValidWebhookPattern, matchesAnyWebhookPattern, matchesWebhookPattern } from './webhooks/webhook-patterns';
export type { WebhookCommand, WebhookState } from './webhooks/webhook.decider';
export { WebhookRuleViolation, decideWebhook, evolveWebhook, initialWebhookState } from './webhooks/webhook.decider';
export type {
  GroupCreated,
  GroupCreatedData,
  GroupDeleted,
  GroupDeletedData,
  GroupEvent,
  GroupMembersAdded,
  GroupMembersAddedData,
  GroupMembersRemoved,
  GroupMembersRemovedData,
  GroupMembersRemovedReason,
  GroupRenamed,
  GroupRenamedData,
  GroupUpdated,
  GroupUpdatedData,
} from './groups/group.events';
export { GROUP_EVENT_TYPES, groupStreamName, isGroupEvent } from './groups/group.events';
export type {
  CreateGroup,
  DeleteGroup,
  ExistingGroup,
  GroupCommand,
  GroupState,
  PatchGroup,
  RemoveDeletedMember,
  ReplaceGroup,
} from './groups/group.decider';
export { GroupRuleViolation, addedMemberIdsOf, decideGroup, evolveGroup, groupResourceOf, initialGroupState } from './groups/group.decider';
export { GROUP_LIMITS, MembershipEdit, applyMembershipOperations, assertWithinGroupLimits, memberIdsOf } from './groups/group-members';
export { MemberSet } from './groups/member-set';
export type {
  RoleMappingCommand,
  RoleMappingEvent,
  RoleMappingSet,
  RoleMappingSetData,
  RoleMappingState,
  SetGroupRoles,
} from './groups/role-mapping';
export {
  ELEVATED_ROLES,
  MAX_ROLES_PER_GROUP,
  ROLE_MAPPING_EVENT_TYPES,
  ROLE_MAPPING_STREAM_CATEGORY,
  ROLE_NAME_PATTERN,
  RoleMappingRuleViolation,
  decideRoleMapping,
  evolveRoleMapping,
  initialRoleMappingState,
  isRoleMappingEvent,
  normaliseRoles,
  roleChanges,
  roleMappingStreamName,
  sameRoles,
} from './groups/role-mapping';
export type { MemberRolesChangedData } from './groups/member-roles';
export { isMemberRolesChange, memberRolesChanged } from './groups/member-roles';
export type { ChangeScimSettings, ScimSettings, ScimSettingsChanged } from './workspaces/scim-settings';
export {
  DEFAULT_SCIM_SETTINGS,
  SCIM_SETTINGS_EVENT_TYPES,
  decideScimSettings,
  evolveScimSettings,
  initialScimSettings,
  scimSettingsOf,
  scimSettingsStreamName,
  unknownAttributePolicyOf,
} from './workspaces/scim-settings';
export type {
  AddCustomAttribute,
  ChangeCustomAttribute,
  CustomAttribute,
  CustomAttributeAdded,
  CustomAttributeAddedData,
  CustomAttributeChanged,
  CustomAttributeChangedData,
  CustomAttributeCommand,
  CustomAttributeDefinition,
  CustomAttributeDeprecated,
  CustomAttributeEvent,
  CustomAttributeInput,
  CustomAttributeNameData,
  CustomAttributeRestored,
  CustomAttributeState,
  CustomAttributeType,
  DeprecateCustomAttribute,
  RestoreCustomAttribute,
} from './custom-attributes/custom-attribute';
export {
  CUSTOM_ATTRIBUTE_EVENT_TYPES,
  CUSTOM_ATTRIBUTE_LIMITS,
  CUSTOM_ATTRIBUTE_NAME_PATTERN,
  CUSTOM_ATTRIBUTE_STREAM_CATEGORY,
  CUSTOM_ATTRIBUTE_TYPES,
  CustomAttributeRuleViolation,
  customAttributeStreamName,
  decideCustomAttribute,
  definitionOf,
  evolveCustomAttribute,
  findCustomAttribute,
  initialCustomAttributeState,
  isCustomAttributeEvent,
} from './custom-attributes/custom-attribute';
export type { WorkspaceUserSchemas } from './custom-attributes/custom-attribute-schema';
export { DEPRECATED_DESCRIPTION_PREFIX, satisfiesDefinition, scimAttributeOf, workspaceUserSchemas } from './custom-attributes/custom-attribute-schema';
