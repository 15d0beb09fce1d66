import { AdminKeyRecord } from './admin-key.entity';
import { AuditEntryRecord } from './audit-entry.entity';
import { AdminKeyUsageRecord, ConsoleSessionRecord } from './console-session.entity';
import { MemberEmailRecord } from './member-email.entity';
import { MemberRecord } from './member.entity';
import { ScimRequestLogRecord } from './scim-request-log.entity';
import { ScimTokenRecord, ScimTokenUsageRecord } from './scim-token.entity';
import { SessionRecord } from './session.entity';
import { WorkspaceRecord } from './workspace.entity';
import { WebhookDeliveryAttemptRecord, WebhookDeliveryRecord } from './webhook-delivery.entity';
import { WebhookSubscriptionRecord } from './webhook-subscription.entity';
import { DeletedMemberRecord, GroupMemberRecord, GroupMembershipIndexRecord, GroupRecord, MemberRolesRecord, RoleMappingRecord } from './group.entities';

export { AuditEntryRecord, MemberEmailRecord, MemberRecord };
export type { MemberSource } from './member.entity';
export { AdminKeyRecord, AdminKeyUsageRecord, ConsoleSessionRecord, ScimRequestLogRecord, ScimTokenRecord, ScimTokenUsageRecord, SessionRecord, WorkspaceRecord };
export { WebhookDeliveryAttemptRecord, WebhookDeliveryRecord, WebhookSubscriptionRecord };
export type { WebhookDeliveryStatus } from './webhook-delivery.entity';

export const READ_MODEL_ENTITIES = [MemberRecord, MemberEmailRecord, AuditEntryRecord, WebhookSubscriptionRecord, WebhookDeliveryRecord, WebhookDeliveryAttemptRecord, WorkspaceRecord, ScimTokenRecord, ScimTokenUsageRecord, AdminKeyRecord, AdminKeyUsageRecord, ConsoleSessionRecord, SessionRecord, ScimRequestLogRecord, GroupRecord, GroupMemberRecord, GroupMembershipIndexRecord, DeletedMemberRecord, RoleMappingRecord, MemberRolesRecord];
export { DeletedMemberRecord, GroupMemberRecord, GroupMembershipIndexRecord, GroupRecord, MemberRolesRecord, RoleMappingRecord };
