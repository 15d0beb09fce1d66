export { ConfigError, loadConfig, loadConfigOrExit } from './config.loader';
export { HttpConfig, KafkaConfig, StorageConfig, ToInt } from './config.fields';
export { workspaceScimBaseUrl } from './scim-endpoint';
export type { WorkspaceAddressing } from './scim-endpoint';
