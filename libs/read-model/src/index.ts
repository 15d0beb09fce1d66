export { AuditEntryRecord, MemberEmailRecord, MemberRecord, READ_MODEL_ENTITIES } from './entities';
export type { MemberSource } from './entities';
export { READ_MODEL_MIGRATIONS } from './migrations';
export { createReadModelDataSource, openReadModel, readModelDialect } from './read-model.data-source';
export type { ReadModelOptions, SqlDialect } from './read-model.data-source';
export { memberColumnsOf, memberEmailsOf } from './members/member-columns';
export { MEMBER_SEARCH_PARAM_OFFSET, searchMembers } from './members/member-search.query';
export type { MemberRow, MemberSearch, SqlPredicate } from './members/member-search.query';
export { MEMBERS_PROJECTION } from './projection-names';
