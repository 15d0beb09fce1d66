/**
 * What the request log must never keep: credentials (`scim_…`, `adm_…`, `ses_…` anywhere in a
 * string), passwords at any depth, and the values of keys named like a secret. The Authorization
 * header is never captured at all. Replacements keep the JSON's shape, so an admin still sees that
 * a password was sent.
 */
export const REDACTED = '[REDACTED]';

/** Request and response bodies are kept up to this many characters each (`truncated` says one was cut). */
export const MAX_LOGGED_BODY_CHARS = 16 * 1024;

/** A credential the product issues, or one that looks like it: the prefix and a long random tail. */
const CREDENTIAL = /\b(?:scim|adm|ses)_[0-9A-Za-z]{16,}/;
const CREDENTIALS = new RegExp(CREDENTIAL.source, 'g');
const SECRET_KEY = /secret|token|passw|pwd|credential|api[-_]?key|authorization/i;
/**
 * A cheap test over the serialised text first: almost no SCIM body holds either, and then it is
 * stored as serialised, without a second walk.
 */
const MAYBE_SECRET = new RegExp(`${CREDENTIAL.source}|${SECRET_KEY.source}`, 'i');

/** A deep copy of `value` with every secret replaced by `[REDACTED]`. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return CREDENTIAL.test(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  // A PATCH operation names the attribute in `path` and carries it in `value` (Entra sets passwords so).
  const secretPath = typeof object['path'] === 'string' && SECRET_KEY.test(object['path']);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    copy[key] = SECRET_KEY.test(key) || (secretPath && key.toLowerCase() === 'value') ? REDACTED : redact(item);
  }
  return copy;
}

/** `value` as redacted JSON text; null for no body. */
export function redactedJson(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  return MAYBE_SECRET.test(text) ? JSON.stringify(redact(value)) : text;
}

/** A serialised response body, redacted; text that is not JSON keeps everything but the credentials. */
export function redactedJsonText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  try {
    return JSON.stringify(redact(JSON.parse(text)));
  } catch {
    return text.replace(CREDENTIALS, REDACTED);
  }
}

/** A query string (without `?`) whose secret-named parameters and credential-looking values are redacted; null when empty. */
export function redactedQuery(query: string): string | null {
  if (query === '') return null;
  if (!MAYBE_SECRET.test(query) && !MAYBE_SECRET.test(safeDecode(query))) return query;
  const params = new URLSearchParams(query);
  const kept = new URLSearchParams();
  for (const [key, value] of params) kept.append(key, SECRET_KEY.test(key) || CREDENTIAL.test(value) ? REDACTED : value);
  return kept.toString();
}

/**
 * `text` cut to `max` characters, and whether it was. The cut is copied: V8's `slice` of a long
 * string is a view that keeps the whole string alive, so every queued log row of a 2-MB list page
 * held the page until its batch was written.
 */
export function capped(text: string | null, max = MAX_LOGGED_BODY_CHARS): { text: string | null; truncated: boolean } {
  if (text === null || text.length <= max) return { text, truncated: false };
  return { text: Buffer.from(text.slice(0, max), 'utf8').toString('utf8'), truncated: true };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
