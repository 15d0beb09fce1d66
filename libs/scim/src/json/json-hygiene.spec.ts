import { findJsonProblem, isStorableString, MAX_JSON_DEPTH, MAX_STRING_LENGTH } from './json-hygiene';

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
});
