import { actorText, dialectText, formatTime, isoOfLocalInput, withLocalTimes } from './format';
import { eventName, fromScimRequest, isRejection, targetsMember, targetText } from './event-names';
import { flattenResource, mergePairOf } from './members-logic';
import type { MemberView } from '../api/types';

describe('what the console shows', () => {
  it('names the actor with the admin or token description when known', () => {
    expect(actorText('admin:adm_1a2b', 'Dana Scully')).toBe('Dana Scully (admin key adm_1a2b)');
    expect(actorText('token:scim_9z', null)).toBe('Identity provider (SCIM token scim_9z)');
    expect(actorText('operator', null)).toBe('Operator (CLI)');
  });

  it('names dialects and documentation events', () => {
    expect(dialectText('okta')).toBe('Okta');
    expect(dialectText(null)).toBe('—');
    expect(dialectText('entra-legacy')).toBe('Microsoft Entra ID (legacy SCIM behaviour)');
    expect(dialectText('entra-2020')).toBe('Microsoft Entra ID');
    expect(eventName('ACCOUNT_SCIM_USER_DEACTIVATED')).toMatch(/deactivated/i);
    expect(isRejection('SCIM_USER_CONFLICT')).toBe(true);
    expect(isRejection('ACCOUNT_SCIM_USER_CREATED')).toBe(false);
    expect(targetsMember('ACCOUNT_SCIM_USER_CREATED')).toBe(true);
    expect(targetsMember('TENANT_SCIM_TOKEN_REVOKED')).toBe(false);
    expect(fromScimRequest({ code: 'TENANT_SCIM_TOKEN_REVOKED', actor: 'admin:adm_1' })).toBe(false);
    expect(fromScimRequest({ code: 'SCIM_USER_CONFLICT', actor: 'token:scim_1' })).toBe(true);
  });

  it("names an audit target by userName, else a credential's prefix, else its id", () => {
    const target = { id: 'u-1', externalId: 'ext-1', userName: 'grace@example.com' };
    expect(targetText({ target, details: {} })).toBe('grace@example.com');
    expect(targetText({ target: { ...target, userName: null }, details: {} })).toBe('ext-1');
    const credential = { id: 'f66dade9-f23c-442c-a9e5-99a46bb442c1', externalId: null, userName: null };
    expect(targetText({ target: credential, details: { prefix: 'scim_uMaC6S5l' } })).toBe('SCIM token scim_uMaC6S5l');
    expect(targetText({ target: credential, details: { prefix: 'adm_Qul1KkQa' } })).toBe('admin key adm_Qul1KkQa');
    expect(targetText({ target: credential, details: {} })).toBe(credential.id);
    expect(targetText({ target: { id: null, externalId: null, userName: null }, details: {} })).toBe('—');
  });

  it('shows the instants inside API sentences as local times', () => {
    const iso = '2026-12-07T13:14:41.758Z';
    expect(withLocalTimes(`Last SCIM request at ${iso}`)).toBe(`Last SCIM request at ${formatTime(iso)}`);
    expect(withLocalTimes(`Last SCIM request at ${iso}`)).not.toContain('T13:14');
    expect(withLocalTimes('1 SCIM user provisioned')).toBe('1 SCIM user provisioned');
  });

  it('turns an empty time filter into no bound', () => {
    expect(isoOfLocalInput('')).toBeUndefined();
    expect(isoOfLocalInput('2026-01-02T03:04')).toMatch(/^2026-01-0\dT\d\d:04:00\.000Z$/);
  });

  it('merges on the local account whichever row of the pair carries the flag', () => {
    const base = { userName: 'u', displayName: 'Pat', email: 'pat@example.com', externalId: null, active: true, scimBadge: false, lastScimChangeAt: null, createdAt: '', groups: [], roles: [] };
    const local = { ...base, id: 'local-1', source: 'local', possibleDuplicateOf: 'scim-1' } as MemberView;
    const scim = { ...base, id: 'scim-1', source: 'scim', scimBadge: true, possibleDuplicateOf: 'local-1' } as MemberView;
    expect(mergePairOf(local)?.localId).toBe('local-1');
    expect(mergePairOf(scim)?.localId).toBe('local-1');
    expect(mergePairOf({ ...scim, possibleDuplicateOf: null })).toBeNull();
  });

  it('flattens a SCIM resource into attribute paths, extensions included, without schemas/meta', () => {
    expect(
      flattenResource({
        schemas: ['x'],
        meta: { version: '1' },
        name: { givenName: 'Ada' },
        emails: [{ value: 'a@example.com', primary: true }],
        'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User': { costCode: 'CC-42', tags: ['a', 'b'] },
      }),
    ).toEqual([
      ['name.givenName', 'Ada'],
      ['emails[0].value', 'a@example.com'],
      ['emails[0].primary', 'true'],
      ['urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User.costCode', 'CC-42'],
      ['urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User.tags', 'a, b'],
    ]);
  });
});
