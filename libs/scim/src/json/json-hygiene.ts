/**
 * What a request body may hold, whichever store keeps it. PostgreSQL refuses U+0000 in text and
 * jsonb and unpaired UTF-16 surrogates in jsonb (a 500 the IdP then retries for ever) while SQLite
 * stores both; refusing them at the edge makes the two stores agree. No SCIM resource nests deeper
 * than a handful of levels, and validators that recurse through a body must never meet thousands.
 */
export const MAX_JSON_DEPTH = 32;
/**
 * The longest string any attribute may hold (characters). Every response repeats what was stored:
 * a megabyte of displayName in each of a page of 200 users made one list request cost 200 MiB.
 * Certificates and photo URLs fit with room to spare.
 */
export const MAX_STRING_LENGTH = 16_384;

/** A string a store cannot keep faithfully: U+0000, or a surrogate without its pair. */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableString(value: string): boolean {
  return !UNSTORABLE.test(value);
}

export interface JsonProblem {
  kind: 'too-deep' | 'too-long' | 'unstorable-string';
  detail: string;
}

/** The first thing wrong with a parsed JSON body, or undefined. Iterative: the depth it checks cannot overflow the stack. */
export function findJsonProblem(root: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | undefined {
  const pending: Array<{ value: unknown; depth: number; path: string }> = [{ value: root, depth: 0, path: '' }];
  while (pending.length > 0) {
    const { value, depth, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (!isStorableString(value)) return { kind: 'unstorable-string', detail: `${describe(path)} holds U+0000 or an unpaired surrogate, which cannot be stored` };
      if (value.length > MAX_STRING_LENGTH) return { kind: 'too-long', detail: `${describe(path)} is longer than ${MAX_STRING_LENGTH} characters, the limit of any string` };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return { kind: 'too-deep', detail: `The body nests deeper than ${maxDepth} levels` };
    if (Array.isArray(value)) {
      value.forEach((element, index) => pending.push({ value: element, depth: depth + 1, path: `${path}[${index}]` }));
      continue;
    }
    for (const [key, element] of Object.entries(value)) {
      if (!isStorableString(key) || key.length > MAX_STRING_LENGTH) return { kind: 'unstorable-string', detail: `A key ${describe(path)} holds U+0000 or an unpaired surrogate, or is too long` };
      pending.push({ value: element, depth: depth + 1, path: path === '' ? key : `${path}.${key}` });
    }
  }
  return undefined;
}

function describe(path: string): string {
  return path === '' ? 'The body' : `"${path.length > 100 ? `${path.slice(0, 100)}…` : path}"`;
}
