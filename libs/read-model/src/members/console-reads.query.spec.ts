import { openTestReadModel } from '../testing/test-read-model';
import { consoleReadsContract } from './testing/console-reads.contract';

describe('admin console reads on SQLite', () => {
  consoleReadsContract(() => openTestReadModel('sqlite', 'rm_console'));
});
