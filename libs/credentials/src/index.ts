export {
  generateAdminKey,
  generateConsoleSessionSecret,
  generateScimToken,
  generateSecret,
  generateSessionToken,
  isSecretOfKind,
  secretDigest,
  secretPrefix,
} from './secrets';
export type { SecretKind } from './secrets';
