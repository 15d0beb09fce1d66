export { openTestReadModel, type TestReadModel } from './test-read-model';
export { aMemberRow, aStoredMember } from './member-rows';
export { recordStatements, type SentStatement } from './statement-recorder';
