export { openTestReadModel, type TestReadModel } from './test-read-model';
