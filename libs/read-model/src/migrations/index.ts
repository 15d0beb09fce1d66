import { InitialReadModel1764288000001 } from './0001-initial-read-model.migration';
import { WorkspacesTokensSessions1764288000002 } from './0002-workspaces-tokens-sessions.migration';
import { WebhooksAndAuditSearch1764288000003 } from './0003-webhooks-and-audit-search.migration';
import { GroupsAndRoles1764288000004 } from './0004-groups-and-roles.migration';
import { ConsumerOperations1764288000005 } from './0005-consumer-operations.migration';
import { WorkspaceElementIndexes1764288000006 } from './0006-workspace-element-indexes.migration';
import { ConsoleSessions1764288000007 } from './0007-console-sessions.migration';
import { ScimRequestLog1764288000008 } from './0008-scim-request-log.migration';
import { ConsoleReadIndexes1764288000009 } from './0009-console-read-indexes.migration';
import { AuditMemberFilterIndexes1764288000010 } from './0010-audit-member-filter-indexes.migration';
import { MemberSearchTrigramIndexes1764288000011 } from './0011-member-search-trigram-indexes.migration';
import { FilterExpressionStatistics1764288000012 } from './0012-filter-expression-statistics.migration';
import { GatewayReplicas1764288000013 } from './0013-gateway-replicas.migration';
import { ConsumerHolders1764288000014 } from './0014-consumer-holders.migration';

/** In order; append new migrations, never edit a released one. */
export const READ_MODEL_MIGRATIONS = [
  InitialReadModel1764288000001,
  WorkspacesTokensSessions1764288000002,
  WebhooksAndAuditSearch1764288000003,
  GroupsAndRoles1764288000004,
  ConsumerOperations1764288000005,
  WorkspaceElementIndexes1764288000006,
  ConsoleSessions1764288000007,
  ScimRequestLog1764288000008,
  ConsoleReadIndexes1764288000009,
  AuditMemberFilterIndexes1764288000010,
  MemberSearchTrigramIndexes1764288000011,
  FilterExpressionStatistics1764288000012,
  GatewayReplicas1764288000013,
  ConsumerHolders1764288000014,
];
