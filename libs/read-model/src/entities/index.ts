import { AuditEntryRecord } from './audit-entry.entity';
import { MemberEmailRecord } from './member-email.entity';
import { MemberRecord } from './member.entity';

export { AuditEntryRecord, MemberEmailRecord, MemberRecord };
export type { MemberSource } from './member.entity';

export const READ_MODEL_ENTITIES = [MemberRecord, MemberEmailRecord, AuditEntryRecord];
