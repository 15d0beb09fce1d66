import { createHash, randomBytes } from 'node:crypto';

/** What a secret is for; the prefix lets secret scanners (and people) recognise it. */
export type SecretKind = 'scim' | 'adm' | 'ses' | 'con';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 43 base62 characters carry 256 bits. */
const SECRET_LENGTH = 43;
/** Characters of the random part kept as the visible prefix: enough to tell tokens apart, far too few to guess one. */
const VISIBLE_CHARS = 8;
/** Largest multiple of 62 below 256: bytes above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;

const FORMAT = /^(scim|adm|ses|con)_([0-9A-Za-z]{43})$/;

/** `<kind>_` + 43 base62 characters from the OS CSPRNG (≥ 256 bits). */
export function generateSecret(kind: SecretKind): string {
  let body = '';
  while (body.length < SECRET_LENGTH) {
    for (const byte of randomBytes(SECRET_LENGTH * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      body += BASE62[byte % 62];
      if (body.length === SECRET_LENGTH) break;
    }
  }
  return `${kind}_${body}`;
}

export const generateScimToken = (): string => generateSecret('scim');
export const generateAdminKey = (): string => generateSecret('adm');
export const generateSessionToken = (): string => generateSecret('ses');
/** The admin console's session cookie (`axis_console`). */
export const generateConsoleSessionSecret = (): string => generateSecret('con');

/** The only form a secret is stored or carried in events: lower-case hex SHA-256. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The short, displayable part (`scim_AbCd1234`): shown in lists and used as the audit actor. */
export function secretPrefix(secret: string): string {
  const underscore = secret.indexOf('_');
  return secret.slice(0, underscore + 1 + VISIBLE_CHARS);
}

/** True when `secret` has the shape this module generates for `kind`. */
export function isSecretOfKind(secret: string, kind: SecretKind): boolean {
  const match = FORMAT.exec(secret);
  return match !== null && match[1] === kind;
}
