import { capped, REDACTED, redact, redactedJson, redactedJsonText, redactedQuery } from './request-log-redaction';

const SCIM_TOKEN = `scim_${'A1b2C3d4'.repeat(5)}abc`;
const ADMIN_KEY = `adm_${'Zz9'.repeat(14)}x`;
const SESSION = `ses_${'q'.repeat(43)}`;

describe('request-log redaction', () => {
  it('replaces password attributes at any depth, and values of secret-named keys', () => {
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'pilot@example.com',
      password: 'hunter2',
      'urn:example:ext': { nested: [{ Password: 'x', clientSecret: 's', accessToken: 't', apiKey: 'k', keep: 'ok' }] },
    };
    expect(redact(body)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'pilot@example.com',
      password: REDACTED,
      'urn:example:ext': { nested: [{ Password: REDACTED, clientSecret: REDACTED, accessToken: REDACTED, apiKey: REDACTED, keep: 'ok' }] },
    });
    expect(body.password).toBe('hunter2');
  });

  it('replaces any string that carries a scim_/adm_/ses_ credential', () => {
    expect(redact({ note: `Bearer ${SCIM_TOKEN}`, list: [ADMIN_KEY, 'plain'], deep: { s: `x ${SESSION} y` }, short: 'scim_abc' })).toEqual({
      note: REDACTED,
      list: [REDACTED, 'plain'],
      deep: { s: REDACTED },
      short: 'scim_abc',
    });
  });

  it('redacts the value of a PATCH operation whose path names a password', () => {
    const patch = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'password', value: 'hunter2' },
        { op: 'Replace', value: { password: 'x', active: false } },
        { op: 'replace', path: 'displayName', value: 'Pilot' },
      ],
    };
    expect(redact(patch)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'password', value: REDACTED },
        { op: 'Replace', value: { password: REDACTED, active: false } },
        { op: 'replace', path: 'displayName', value: 'Pilot' },
      ],
    });
  });

  it('serialises bodies without secrets as they are, and redacts the others', () => {
    expect(redactedJson({ userName: 'a', active: true })).toBe('{"userName":"a","active":true}');
    expect(JSON.parse(redactedJson({ userName: 'a', password: 'p' })!)).toEqual({ userName: 'a', password: REDACTED });
    expect(redactedJson(undefined)).toBeNull();
  });

  it('redacts serialised responses, and credentials in text that is not JSON', () => {
    expect(redactedJsonText('{"id":"1","userName":"a"}')).toBe('{"id":"1","userName":"a"}');
    expect(JSON.parse(redactedJsonText(`{"id":"1","token":"${SCIM_TOKEN}"}`))).toEqual({ id: '1', token: REDACTED });
    expect(redactedJsonText(`not json ${SCIM_TOKEN} end`)).toBe(`not json ${REDACTED} end`);
  });

  it('redacts secret-named query parameters and credential values, keeping the rest', () => {
    expect(redactedQuery('filter=userName%20eq%20%22a%22&count=1')).toBe('filter=userName%20eq%20%22a%22&count=1');
    const redacted = new URLSearchParams(redactedQuery(`access_token=abc&x=${SCIM_TOKEN}&count=2`)!);
    expect([...redacted]).toEqual([
      ['access_token', REDACTED],
      ['x', REDACTED],
      ['count', '2'],
    ]);
    expect(redactedQuery('')).toBeNull();
  });

  it('caps a body and says so', () => {
    expect(capped('abcdef', 4)).toEqual({ text: 'abcd', truncated: true });
    expect(capped('abc', 4)).toEqual({ text: 'abc', truncated: false });
    expect(capped(null, 4)).toEqual({ text: null, truncated: false });
  });
});
