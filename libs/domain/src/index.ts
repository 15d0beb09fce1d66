export type { DomainEvent, EventMetadata, IdpDialect } from './shared/event-metadata';
export { STREAM_CATEGORY, parseStreamName, userStreamName, workspaceStreamName } from './shared/stream-names';
export type { WorkspaceCreated, WorkspaceCreatedData, WorkspaceEvent } from './workspaces/workspace.events';
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
export type { CreateUser, UserCommand, UserState } from './users/user.decider';
export { UserRuleViolation, decideUser, evolveUser, initialUserState } from './users/user.decider';
