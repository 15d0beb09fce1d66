export { ConfigError, loadConfig, loadConfigOrExit } from './config.loader';
export { HttpConfig, KafkaConfig, StorageConfig, ToInt } from './config.fields';
