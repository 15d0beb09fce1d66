import { openTestReadModel } from '../testing/test-read-model';
import { scimRequestLogContract } from './testing/scim-request-log.contract';

describe('the SCIM request log on PostgreSQL', () => {
  scimRequestLogContract(() => openTestReadModel('postgres', 'rm_reqlog'));
});
