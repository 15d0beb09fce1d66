import { openTestReadModel } from '../testing/test-read-model';
import { consoleReadsContract } from './testing/console-reads.contract';

describe('admin console reads on PostgreSQL', () => {
  consoleReadsContract(() => openTestReadModel('postgres', 'rm_console'));
});
