export * from './fixtures/idp-requests';
export * from './resource-fixtures';
