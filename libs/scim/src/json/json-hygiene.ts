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
/**
 * The most members any object may have. A SCIM resource has a few dozen attributes; an object of
 * 40,000 keys held the event loop for 0.5 s in the SCIM normaliser and 3 s in the admin API's
 * validation pipe (one error per unknown key), found by the hostile-input fuzz.
 */
export const MAX_OBJECT_MEMBERS = 1_000;
/**
 * The most elements any array may have. Large groups still fit in one request (members are three
 * keys each); a user with 50,000 emails was stored and then repeated by every list page.
 */
export const MAX_ARRAY_ELEMENTS = 10_000;

/** A string a store cannot keep faithfully: U+0000, or a surrogate without its pair. */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableString(value: string): boolean {
  return !UNSTORABLE.test(value);
}

export interface JsonProblem {
  kind: 'too-deep' | 'too-wide' | 'too-long' | 'unstorable-string';
  detail: string;
}

/** The first thing wrong with a parsed JSON body, or undefined. Iterative: the depth it checks cannot overflow the stack. */
export function findJsonProblem(root: unknown, maxDepth = MAX_JSON_DEPTH, maxMembers = MAX_OBJECT_MEMBERS, maxElements = MAX_ARRAY_ELEMENTS): JsonProblem | undefined {
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
      if (value.length > maxElements) return { kind: 'too-wide', detail: `${describe(path)} has more than ${maxElements} elements, the limit of any array` };
      value.forEach((element, index) => pending.push({ value: element, depth: depth + 1, path: `${path}[${index}]` }));
      continue;
    }
    // Counted before Object.entries, which alone took 15–40 ms on an object of 40,000 keys.
    let count = 0;
    for (const key in value) {
      if (Object.hasOwn(value, key) && ++count > maxMembers) return { kind: 'too-wide', detail: `${describe(path)} has more than ${maxMembers} members, the limit of any object` };
    }
    for (const [key, element] of Object.entries(value)) {
      if (!isStorableString(key) || key.length > MAX_STRING_LENGTH) return { kind: 'unstorable-string', detail: `A key ${describe(path)} holds U+0000 or an unpaired surrogate, or is too long` };
      pending.push({ value: element, depth: depth + 1, path: path === '' ? key : `${path}.${key}` });
    }
  }
  return undefined;
}

/**
 * The same depth and width limits, read from the raw text BEFORE it is parsed: a hostile body of
 * 40,000 keys cost 30 ms in JSON.parse alone, and far more once the process collected the object
 * (the hostile-input fuzz saw /healthz wait 0.1–0.5 s). One pass over the characters, no
 * allocation; it does not validate the JSON (JSON.parse still does) and names no path.
 */
export function findRawJsonProblem(text: string, maxDepth = MAX_JSON_DEPTH, maxMembers = MAX_OBJECT_MEMBERS, maxElements = MAX_ARRAY_ELEMENTS): JsonProblem | undefined {
  const commas: number[] = [];
  const isObject: boolean[] = [];
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1;
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      // Depth 1 is the root container, at level 0 for findJsonProblem.
      if (depth > maxDepth) return { kind: 'too-deep', detail: `The body nests deeper than ${maxDepth} levels` };
      commas[depth] = 0;
      isObject[depth] = code === 0x7b;
    } else if (code === 0x7d || code === 0x5d) {
      depth -= 1;
      if (depth < 0) return undefined;
    } else if (code === 0x2c && depth > 0) {
      const count = (commas[depth] = commas[depth]! + 1) + 1;
      if (isObject[depth] && count > maxMembers) return { kind: 'too-wide', detail: `An object in the body has more than ${maxMembers} members, the limit of any object` };
      if (!isObject[depth] && count > maxElements) return { kind: 'too-wide', detail: `An array in the body has more than ${maxElements} elements, the limit of any array` };
    }
  }
  return undefined;
}

function describe(path: string): string {
  return path === '' ? 'The body' : `"${path.length > 100 ? `${path.slice(0, 100)}…` : path}"`;
}
