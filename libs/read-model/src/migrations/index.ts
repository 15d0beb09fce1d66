import { InitialReadModel1764288000001 } from './0001-initial-read-model.migration';
import { WorkspacesTokensSessions1764288000002 } from './0002-workspaces-tokens-sessions.migration';
import { WebhooksAndAuditSearch1764288000003 } from './0003-webhooks-and-audit-search.migration';
import { GroupsAndRoles1764288000004 } from './0004-groups-and-roles.migration';
import { ConsumerOperations1764288000005 } from './0005-consumer-operations.migration';
import { WorkspaceElementIndexes1764288000006 } from './0006-workspace-element-indexes.migration';

/** In order; append new migrations, never edit a released one. */
export const READ_MODEL_MIGRATIONS = [InitialReadModel1764288000001, WorkspacesTokensSessions1764288000002, WebhooksAndAuditSearch1764288000003, GroupsAndRoles1764288000004, ConsumerOperations1764288000005, WorkspaceElementIndexes1764288000006];
