import fc from 'fast-check';
import { findJsonProblem, findRawJsonProblem, isStorableString, MAX_ARRAY_ELEMENTS, MAX_JSON_DEPTH, MAX_OBJECT_MEMBERS, MAX_STRING_LENGTH } from './json-hygiene';

describe('findJsonProblem', () => {
  it('accepts what IdPs send, paired surrogates (emoji) included', () => {
    expect(findJsonProblem({ userName: 'bjensen', name: { givenName: 'Zoë 😀' }, emails: [{ value: 'a@b.c', primary: true }], n: 1, x: null })).toBeUndefined();
  });

  it.each([
    ['U+0000', 'a\u0000b'],
    ['a lone high surrogate', 'a\uD800'],
    ['a lone low surrogate', '\uDC00z'],
    ['a reversed pair', '\uDC00\uD800'],
  ])('refuses a string holding %s, naming where', (_, bad) => {
    expect(findJsonProblem({ Operations: [{ op: 'replace', value: { title: bad } }] })).toEqual({
      kind: 'unstorable-string',
      detail: '"Operations[0].value.title" holds U+0000 or an unpaired surrogate, which cannot be stored',
    });
    expect(isStorableString(bad)).toBe(false);
  });

  it(`refuses a string longer than ${MAX_STRING_LENGTH} characters, naming the limit`, () => {
    expect(findJsonProblem({ displayName: 'x'.repeat(MAX_STRING_LENGTH) })).toBeUndefined();
    expect(findJsonProblem({ displayName: 'x'.repeat(MAX_STRING_LENGTH + 1) })).toEqual({
      kind: 'too-long',
      detail: `"displayName" is longer than ${MAX_STRING_LENGTH} characters, the limit of any string`,
    });
  });

  it('refuses such a key too', () => {
    expect(findJsonProblem({ ['ti\u0000tle']: 'x' })?.kind).toBe('unstorable-string');
  });

  it(`refuses nesting past ${MAX_JSON_DEPTH} levels without recursing (2,000 levels)`, () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 2000; level++) deep = level % 2 ? { a: deep } : [deep];
    expect(findJsonProblem(deep)).toEqual({ kind: 'too-deep', detail: `The body nests deeper than ${MAX_JSON_DEPTH} levels` });
    let fits: unknown = 'leaf';
    for (let level = 0; level < MAX_JSON_DEPTH; level++) fits = { a: fits };
    expect(findJsonProblem(fits)).toBeUndefined();
  });

  it(`refuses an object of more than ${MAX_OBJECT_MEMBERS} members and an array of more than ${MAX_ARRAY_ELEMENTS} elements, naming where`, () => {
    const wide = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, index]));
    expect(findJsonProblem({ value: wide(MAX_OBJECT_MEMBERS) })).toBeUndefined();
    expect(findJsonProblem({ value: wide(MAX_OBJECT_MEMBERS + 1) })).toEqual({ kind: 'too-wide', detail: `"value" has more than ${MAX_OBJECT_MEMBERS} members, the limit of any object` });
    expect(findJsonProblem(wide(40_000))?.kind).toBe('too-wide');
    const emails = (count: number) => ({ emails: Array.from({ length: count }, () => ({ value: 'a@b.c' })) });
    expect(findJsonProblem(emails(MAX_ARRAY_ELEMENTS))).toBeUndefined();
    expect(findJsonProblem(emails(MAX_ARRAY_ELEMENTS + 1))).toEqual({ kind: 'too-wide', detail: `"emails" has more than ${MAX_ARRAY_ELEMENTS} elements, the limit of any array` });
  });

  describe('findRawJsonProblem (before parsing)', () => {
    it('refuses too deep and too wide bodies from their text', () => {
      expect(findRawJsonProblem(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)?.kind).toBe('too-deep');
      expect(findRawJsonProblem(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeUndefined();
      expect(findRawJsonProblem(JSON.stringify(Object.fromEntries(Array.from({ length: MAX_OBJECT_MEMBERS + 1 }, (_, index) => [`k${index}`, index])))))
        .toEqual({ kind: 'too-wide', detail: `An object in the body has more than ${MAX_OBJECT_MEMBERS} members, the limit of any object` });
      expect(findRawJsonProblem(JSON.stringify({ members: Array.from({ length: MAX_ARRAY_ELEMENTS }, (_, index) => ({ value: `${index}`, display: 'a,b' })) }))).toBeUndefined();
    });

    it('ignores brackets and commas inside strings, escaped quotes included', () => {
      expect(findRawJsonProblem(JSON.stringify({ a: '[[[[{{{{,,,,\\"]]]' }), 2, 1, 1)).toBeUndefined();
    });

    it('agrees with findJsonProblem on depth and width for any JSON (small limits)', () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
          const parsed = findJsonProblem(value, 4, 3, 3);
          const shape = parsed?.kind === 'too-deep' || parsed?.kind === 'too-wide' ? parsed.kind : undefined;
          const raw = findRawJsonProblem(JSON.stringify(value), 4, 3, 3)?.kind;
          // The raw scan stops at the first problem in text order, the parsed walk in its own order.
          return (raw === undefined) === (shape === undefined);
        }),
        { numRuns: 2_000 },
      );
    });
  });
});
