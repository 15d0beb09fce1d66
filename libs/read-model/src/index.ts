export { AuditEntryRecord, MemberEmailRecord, MemberRecord, READ_MODEL_ENTITIES } from './entities';
export type { MemberSource } from './entities';
export { READ_MODEL_MIGRATIONS } from './migrations';
export { createReadModelDataSource, openReadModel, readModelDialect } from './read-model.data-source';
export { analyzeGrownTables, analyzeTables, PlannerStatisticsKeeper } from './planner-statistics';
export type { PlannerStatisticsKeeperOptions } from './planner-statistics';
export type { ReadModelOptions, SqlDialect } from './read-model.data-source';
export { memberColumnsOf, memberEmailsOf } from './members/member-columns';
export { findMember, MEMBER_SEARCH_PARAM_OFFSET, searchMembers } from './members/member-search.query';
export { ReadBudgetExceeded, SqliteReaderPool } from './sqlite-readers/sqlite-reader-pool';
export type { SqliteReaderPoolOptions } from './sqlite-readers/sqlite-reader-pool';
export { searchOnReaderThreads } from './search-sql';
export type { MemberRow, MemberSearch } from './members/member-search.query';
export type { SqlPredicate } from './search-sql';
export { storedAttributeValues } from './members/member-attribute-values.query';
export type { StoredAttributeValue } from './members/member-attribute-values.query';
export { MEMBERS_PROJECTION, SESSION_REVOKER, WORKSPACES_PROJECTION } from './projection-names';
export { AdminKeyRecord, AdminKeyUsageRecord, ConsoleSessionRecord, ScimTokenRecord, ScimTokenUsageRecord, SessionRecord, WorkspaceRecord } from './entities';
export {
  adminKeyViewOf,
  findAdminKey,
  findAdminKeyByDigest,
  findScimTokenByDigest,
  listAdminKeys,
  recordAdminKeyUse,
  findWorkspace,
  listScimTokens,
  recordScimTokenUse,
} from './workspaces/credential-queries';
export type { AdminKeyView, ScimTokenView } from './workspaces/credential-queries';
export { deleteEndedConsoleSessions, findConsoleSessionByDigest, insertConsoleSession, revokeConsoleSession, touchConsoleSession } from './console/console-session-queries';
export type { ConsoleSessionWithKey } from './console/console-session-queries';
export { findSessionByDigest, insertSession, listMemberSessions, revokeMemberSessions } from './sessions/session-queries';
export type { IntrospectedSession, SessionView } from './sessions/session-queries';
export {
  findMemberDetail,
  findMemberDirectoryEntries,
  listDuplicatePairs,
  listMemberDirectory,
  MAX_DUPLICATE_PAIRS,
  MEMBER_DIRECTORY_SORTS,
  projectedMemberRevision,
  SEARCH_COUNT_LIMIT,
} from './members/member-directory.query';
export type { DuplicatePair, MemberDirectoryEntry, MemberDirectoryPage, MemberDirectorySearch, MemberDirectorySort } from './members/member-directory.query';
export { actorNames } from './workspaces/actor-names.query';
export { REJECTION_CODES, scimConnectionStats } from './workspaces/scim-connection.query';
export type { ScimConnectionStats } from './workspaces/scim-connection.query';
export { WebhookDeliveryAttemptRecord, WebhookDeliveryRecord, WebhookSubscriptionRecord } from './entities';
export type { WebhookDeliveryStatus } from './entities';
export { InvalidAuditCursorError, exportAuditEntries, searchAuditEntries } from './audit/audit-search.query';
export type { AuditEntryView, AuditPage, AuditSearch } from './audit/audit-search.query';
export {
  findWebhookSubscription,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  toWebhookSubscriptionView,
} from './webhooks/webhook-queries';
export type { WebhookDeliveryView, WebhookSubscriptionView } from './webhooks/webhook-queries';
export { DeletedMemberRecord, GroupMemberRecord, GroupMembershipIndexRecord, GroupRecord, MemberRolesRecord, RoleMappingRecord } from './entities';
export { GROUP_MEMBERSHIP_REACTOR, GROUPS_PROJECTION } from './groups/group-projection-names';
export {
  GROUP_SEARCH_PARAM_OFFSET,
  existingGroupIds,
  existingMemberIds,
  findGroup,
  findMemberDisplays,
  findMemberRoles,
  groupsOfMembers,
  listGroupMembers,
  listRoleMappings,
  searchGroups,
} from './groups/group-queries';
export type { GroupMemberRow, GroupRow, GroupSearch, MemberGroupRow, MemberRolesView, RoleMappingView } from './groups/group-queries';
export { deleteMembershipRows, insertMembershipRows } from './groups/membership-rows';
export type { MembershipTable } from './groups/membership-rows';
export { deleteRowsWhereIn, insertRows, selectRows, selectRowsWhereIn } from './bulk-sql';
export type { InsertRowsOptions } from './bulk-sql';
export { ScimRequestLogRecord } from './entities';
export {
  findScimRequest,
  insertScimRequestLog,
  InvalidScimRequestCursorError,
  isStatusFilter,
  pruneScimRequestLog,
  SCIM_REQUEST_PAGE_MAX,
  scimRequestStats,
  searchScimRequests,
} from './scim-requests/scim-request-log.query';
export type {
  ScimRequestDetailView,
  ScimRequestLogEntry,
  ScimRequestPage,
  ScimRequestSearch,
  ScimRequestStats,
  ScimRequestSummaryView,
} from './scim-requests/scim-request-log.query';
export { takeRateTokens } from './rate-limits/rate-bucket.queries';
export type { RateBucketLimits, RateTokenGrant } from './rate-limits/rate-bucket.queries';
export { findWriteMark, recordWriteMark } from './write-marks/write-mark.queries';
