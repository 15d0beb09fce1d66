export type { DomainEvent, EventMetadata, IdpDialect } from './shared/event-metadata';
export { STREAM_CATEGORY, parseStreamName, rejectionStreamName, userStreamName, workspaceStreamName } from './shared/stream-names';
export type {
  AdminKeyCreated,
  AdminKeyCreatedData,
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
  ScimRateLimited,
  ScimRateLimitedData,
  ScimRejection,
  ScimRejectionData,
  ScimUnauthorized,
  ScimUnauthorizedData,
  UnauthorizedReason,
} from './rejections/scim-rejection.events';
export { cloudEventTypeOf } from './shared/cloud-event-types';
export type {
  UserAttributes,
  UserCreated,
  UserCreatedData,
  UserDeactivated,
  UserDeleted,
  UserEvent,
  UserIdData,
  UserReactivated,
  UserUpdated,
  UserUpdatedData,
} from './users/user.events';
export { USER_EVENT_TYPES, isUserEvent } from './users/user.events';
export type { CreateUser, DeleteUser, ExistingUser, PatchUser, ReplaceUser, UserCommand, UserState } from './users/user.decider';
export { UserRuleViolation, applyChanges, decideUser, evolveUser, initialUserState, withoutSecrets } from './users/user.decider';
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
