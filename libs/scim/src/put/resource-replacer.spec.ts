import { ScimError } from '../errors/scim-error';
import { valueConformsTo } from '../patch/value-coercion';
import { defineAttribute } from '../schemas/attribute-definition';
import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { AXIS_USER_EXTENSION_SCHEMA, ENTERPRISE_USER_SCHEMA as E, GROUP_SCHEMA, USER_SCHEMA } from '../schemas/schema-uris';
import * as idp from '../testing/fixtures/idp-requests';
import { customUserRegistry, storedGroup, storedUser } from '../testing/resource-fixtures';
import { normalizeNewResource, readNewResource, replaceResource } from './resource-replacer';

const registry = createDefaultSchemaRegistry();
const users = registry.forResourceType('User');
const groups = registry.forResourceType('Group');

function expectScim(work: () => unknown, scimType: string, code?: string): void {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).scimType).toBe(scimType);
    if (code) expect((error as ScimError).code).toBe(code);
    return;
  }
  throw new Error('expected a ScimError');
}

describe('PUT replace', () => {
  it('accepts the Okta echo of a GET (id, meta, groups) and reports only real changes', () => {
    const existing = storedUser({ groups: [{ value: 'g1', display: 'Tour Guides' }] });
    const body = { ...existing, meta: { resourceType: 'User', version: 'W/"99"' }, groups: [], active: false };
    const result = replaceResource(existing, body, users);
    expect(result.resource['id']).toBe(existing['id']);
    expect(result.resource['meta']).toEqual(existing['meta']);
    expect(result.resource['groups']).toEqual(existing['groups']);
    expect(result.resource['active']).toBe(false);
    expect(result.changedAttributes).toEqual(['active']);
  });

  it('clears readWrite attributes left out, keeps writeOnly ones', () => {
    const existing = storedUser({ password: 'secret' });
    const result = replaceResource(existing, { schemas: [USER_SCHEMA], userName: 'bjensen@example.com' }, users);
    expect(result.resource).not.toHaveProperty('emails');
    expect(result.resource).not.toHaveProperty(E);
    expect(result.resource['password']).toBe('secret');
    expect(result.resource['schemas']).toEqual([USER_SCHEMA]);
    expect(result.changedAttributes).toEqual(expect.arrayContaining(['userName', 'emails', 'name.givenName', `${E}:manager.value`]));
  });

  it('rejects a changed immutable value, accepts an unchanged one', () => {
    const existing = storedGroup({ members: [{ value: 'u1', type: 'User' }] });
    expect(replaceResource(existing, { schemas: [GROUP_SCHEMA], displayName: 'X', members: [{ value: 'u2' }] }, groups).resource['members']).toEqual([{ value: 'u2' }]);
    const custom = registry.withExtension(
      { id: 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User', name: 'Axis', description: '', attributes: [{ name: 'badge', type: 'string', multiValued: false, description: '', required: false, caseExact: true, mutability: 'immutable', returned: 'default', uniqueness: 'none' }] },
      'User',
    ).forResourceType('User');
    const withBadge = normalizeNewResource({ schemas: [USER_SCHEMA], userName: 'a', 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User': { badge: 'B1' } }, custom);
    expect(replaceResource(withBadge, { ...withBadge }, custom).changedAttributes).toEqual([]);
    expectScim(() => replaceResource(withBadge, { ...withBadge, 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User': { badge: 'B2' } }, custom), 'mutability', 'SCIM_MUTABILITY');
  });

  it('requires userName and the core schema', () => {
    expectScim(() => replaceResource(storedUser(), { schemas: [USER_SCHEMA], displayName: 'x' }, users), 'invalidValue');
    expectScim(() => replaceResource(storedUser(), idp.SCIM_1_1_CREATE_USER, users), 'invalidValue', 'SCIM_SCHEMA_MISMATCH');
    expectScim(() => replaceResource(storedUser(), { userName: 'x' }, users), 'invalidSyntax', 'SCIM_SCHEMA_MISMATCH');
  });
});

describe('POST normalisation', () => {
  it('Entra create user: meta ignored, canonical names, enterprise listed only when present', () => {
    const created = normalizeNewResource(idp.ENTRA_CREATE_USER, users);
    expect(created).not.toHaveProperty('meta');
    expect(created['schemas']).toEqual([USER_SCHEMA]);
    expect(created).not.toHaveProperty('roles');
    expect(created['emails']).toEqual(idp.ENTRA_CREATE_USER.emails);
  });

  it('Okta create user: password kept (writeOnly), groups dropped (readOnly)', () => {
    const created = normalizeNewResource(idp.OKTA_CREATE_USER, users);
    expect(created['password']).toBe('1mz050nq');
    expect(created).not.toHaveProperty('groups');
  });

  it('OneLogin create user with enterprise extension; string booleans and odd casing', () => {
    const created = normalizeNewResource({ ...idp.ONELOGIN_CREATE_USER, ACTIVE: 'True', NAME: { GIVENNAME: 'J' } }, users);
    expect(created).toMatchObject({ active: true, name: { givenName: 'J' }, [E]: { department: 'R&D', manager: { value: 'mgr-42' } } });
    expect(created['schemas']).toEqual([USER_SCHEMA, E]);
  });

  it("OneLogin's connector URNs stand for the core and enterprise schemas; SCIM 1.1 still does not", () => {
    const created = normalizeNewResource(idp.ONELOGIN_CONNECTOR_USER, users);
    expect(created).toMatchObject({ schemas: [USER_SCHEMA, E], userName: 'onelogin-test-user01', [E]: { department: 'R&D' } });
    expect(created).not.toHaveProperty(idp.ONELOGIN_CONNECTOR_SCHEMA_URIS.enterpriseUser);
    expect(replaceResource(storedUser(), idp.ONELOGIN_CONNECTOR_USER, users).resource['userName']).toBe('onelogin-test-user01');
    expectScim(() => normalizeNewResource({ ...idp.ONELOGIN_CONNECTOR_USER, schemas: ['urn:scim:schemas:core:1.0'] }, users), 'invalidValue', 'SCIM_SCHEMA_MISMATCH');
  });

  it('an empty manager value, as a template renders a user without one, means no manager', () => {
    const created = normalizeNewResource({ ...idp.ONELOGIN_CREATE_USER, [E]: { department: 'R&D', manager: { value: '' } } }, users);
    expect(created[E]).toEqual({ department: 'R&D' });
  });

  it('Ping provisions a disabled user with active false', () => {
    expect(normalizeNewResource(idp.PING_CREATE_DISABLED_USER, users)).toMatchObject({ active: false, [E]: { department: 'R&D' } });
  });

  it('Entra create group with the ADSCIM schema URI', () => {
    const created = normalizeNewResource(idp.ENTRA_CREATE_GROUP, groups);
    expect(created).toEqual({ schemas: [GROUP_SCHEMA], externalId: idp.ENTRA_CREATE_GROUP.externalId, displayName: 'displayName' });
  });

  it('keeps a single primary email', () => {
    const created = normalizeNewResource({ schemas: [USER_SCHEMA], userName: 'a', emails: [{ value: 'a', primary: true }, { value: 'b', primary: 'true' }] }, users);
    expect(created['emails']).toEqual([{ value: 'a', primary: false }, { value: 'b', primary: true }]);
  });
});

describe('custom attributes in POST and PUT', () => {
  const custom = customUserRegistry().forResourceType('User');
  const X = AXIS_USER_EXTENSION_SCHEMA;

  it('accepts the extension object with or without its URN in schemas, coerced to the types', () => {
    for (const schemas of [[USER_SCHEMA, X], [USER_SCHEMA]]) {
      const { resource, ignoredAttributes } = readNewResource({ schemas, userName: 'a', [X]: { costCode: 'CC', seats: '4', remote: 'False', tags: 'solo' } }, custom);
      expect(resource).toEqual({ schemas: [USER_SCHEMA, X], userName: 'a', [X]: { costCode: 'CC', seats: 4, remote: false, tags: ['solo'] } });
      expect(ignoredAttributes).toEqual([]);
    }
  });

  it('lists what no schema defines — core, extension attribute, unknown extension — and still succeeds', () => {
    const { resource, ignoredAttributes } = readNewResource(
      {
        schemas: [USER_SCHEMA, X, 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User'],
        userName: 'a',
        shoeSize: 42,
        'name.nickname': 'x',
        [X]: { costCode: 'CC', costCentre: 'typo' },
        [`${X}:badge`]: 'B-1',
        'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User': { grade: 'A' },
        'urn:example:flat': 'x',
      },
      custom,
    );
    expect(resource[X]).toEqual({ costCode: 'CC', badge: 'B-1' });
    expect(ignoredAttributes).toEqual(['shoeSize', 'name.nickname', `${X}:costCentre`, 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:grade', 'urn:example:flat']);
  });

  it('PUT reports the ignored attributes and a wrong type names the attribute', () => {
    const existing = normalizeNewResource({ schemas: [USER_SCHEMA], userName: 'a', [X]: { seats: 1 } }, custom);
    const replaced = replaceResource(existing, { schemas: [USER_SCHEMA], userName: 'a', [X]: { seats: 2, nope: 1 } }, custom);
    expect(replaced.changedAttributes).toEqual([`${X}:seats`]);
    expect(replaced.ignoredAttributes).toEqual([`${X}:nope`]);
    try {
      replaceResource(existing, { schemas: [USER_SCHEMA], userName: 'a', [X]: { startDate: 'soon' } }, custom);
      throw new Error('expected a ScimError');
    } catch (error) {
      expect((error as ScimError).toBody()).toMatchObject({ status: '400', scimType: 'invalidValue', detail: `SCIM_INVALID_VALUE: "${X}:startDate" must be an ISO-8601 date-time` });
    }
  });
});

describe('unknown attributes: ignored and reported, or refused (unknownAttributes: reject)', () => {
  const custom = customUserRegistry().forResourceType('User');
  const X = AXIS_USER_EXTENSION_SCHEMA;
  const refusal = (work: () => unknown): unknown => {
    try {
      work();
    } catch (error) {
      return (error as ScimError).toBody();
    }
    throw new Error('expected a ScimError');
  };

  it('reports an unknown sub-attribute inside a value, which is dropped', () => {
    const { resource, ignoredAttributes } = readNewResource(
      { schemas: [USER_SCHEMA], userName: 'a', name: { givenName: 'Ada', nickname: 'x' }, emails: [{ value: 'a@example.com', label: 'x' }, { value: 'b@example.com', label: 'y' }] },
      users,
    );
    expect(resource).toEqual({ schemas: [USER_SCHEMA], userName: 'a', name: { givenName: 'Ada' }, emails: [{ value: 'a@example.com' }, { value: 'b@example.com' }] });
    expect(ignoredAttributes).toEqual(['name.nickname', 'emails.label']);
  });

  it.each([
    ['a core attribute', { shoeSize: 42 }, 'shoeSize'],
    ['a dotted sub-attribute', { 'name.nickname': 'x' }, 'name.nickname'],
    ['a sub-attribute inside a value', { name: { nickname: 'x' } }, 'name.nickname'],
    ['an attribute of a known extension', { [X]: { costCentre: 'x' } }, `${X}:costCentre`],
    ['an unknown extension', { 'urn:example:other:1.0:User': { grade: 'A' } }, 'urn:example:other:1.0:User:grade'],
  ])('refuses %s on POST and PUT with 400 invalidPath naming it', (_what, extra, named) => {
    const body = { schemas: [USER_SCHEMA], userName: 'a', ...extra };
    const expected = { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidPath', detail: `SCIM_INVALID_PATH: Unknown attribute "${named}": no schema of this resource defines it` };
    expect(refusal(() => readNewResource(body, custom, { unknownAttributes: 'reject' }))).toEqual(expected);
    expect(refusal(() => replaceResource(normalizeNewResource({ schemas: [USER_SCHEMA], userName: 'a' }, custom), body, custom, { unknownAttributes: 'reject' }))).toEqual(expected);
    // The default ignores it and the request succeeds.
    expect(readNewResource(body, custom).ignoredAttributes).toEqual([named]);
  });

  it('accepts what every schema defines, readOnly echoes included, under reject', () => {
    const body = { schemas: [USER_SCHEMA, E], id: 'x', meta: { resourceType: 'User' }, groups: [{ value: 'g' }], userName: 'a', password: 'p', [E]: { manager: { value: 'm', displayName: 'M' } } };
    expect(readNewResource(body, users, { unknownAttributes: 'reject' }).ignoredAttributes).toEqual([]);
  });
});

describe('valueConformsTo: a stored value as the definition keeps it', () => {
  it.each([
    ['string', {}, 'x', true],
    ['string', {}, 5, false],
    ['integer', {}, 5, true],
    ['integer', {}, '5', false],
    ['integer', {}, 1.5, false],
    ['decimal', {}, 5, true],
    ['boolean', {}, 'true', false],
    ['dateTime', {}, '2024-01-02T03:04:05.000Z', true],
    ['dateTime', {}, '2024-01-02T03:04:05Z', false],
    ['reference', {}, 'https://x', true],
    ['string', { multiValued: true }, ['a'], true],
    ['string', { multiValued: true }, 'a', false],
    ['string', {}, ['a'], false],
  ] as const)('%s %j: %j → %s', (type, options, value, expected) => {
    expect(valueConformsTo(defineAttribute('x', type, options), value)).toBe(expected);
  });
});
