import { openTestReadModel } from '../testing/test-read-model';
import { auditSearchContract } from './testing/audit-search.contract';

describe('searchAuditEntries on PostgreSQL', () => {
  auditSearchContract(() => openTestReadModel('postgres', 'rm_audit'));
});
