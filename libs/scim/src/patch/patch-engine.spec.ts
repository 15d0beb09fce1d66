import fc from 'fast-check';
import { ScimError } from '../errors/scim-error';
import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { JsonObject } from '../schemas/resource-access';
import { AXIS_USER_EXTENSION_SCHEMA, ENTERPRISE_USER_SCHEMA as E, PATCH_OP_SCHEMA, USER_SCHEMA } from '../schemas/schema-uris';
import * as idp from '../testing/fixtures/idp-requests';
import { defineAttribute } from '../schemas/attribute-definition';
import { CUSTOM_USER_EXTENSION, customUserRegistry, storedGroup, storedUser } from '../testing/resource-fixtures';
import { applyPatch } from './patch-engine';
import { valueConformsTo } from './value-coercion';

const registry = createDefaultSchemaRegistry();
const users = registry.forResourceType('User');
const groups = registry.forResourceType('Group');
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

function expectScimError(work: () => unknown, scimType: string, status = 400): ScimError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect({ status: (error as ScimError).status, scimType: (error as ScimError).scimType }).toEqual({ status, scimType });
    return error as ScimError;
  }
  throw new Error(`expected ScimError ${scimType}`);
}

describe('PATCH forms sent by IdPs', () => {
  it('Entra legacy: Replace active "False" (capitalised op, string boolean)', () => {
    const result = applyPatch(storedUser(), idp.ENTRA_LEGACY_DISABLE_USER, users);
    expect(result.resource['active']).toBe(false);
    expect(result.changedAttributes).toEqual(['active']);
  });

  it('Entra legacy: three single-path Replaces incl. emails[type eq "work"].value', () => {
    const result = applyPatch(storedUser(), idp.ENTRA_LEGACY_UPDATE_USER, users);
    expect(result.resource).toMatchObject({ active: false, name: { givenName: 'Barbara', familyName: 'Jensen' } });
    expect(result.resource['emails']).toEqual([
      { value: 'bjensen@contoso.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
    expect(result.changedAttributes).toEqual(['active', 'emails']);
  });

  it('Entra: emails[type eq "work"].value creates the work email when absent', () => {
    const user = storedUser({ emails: [{ value: 'babs@jensen.org', type: 'home' }] });
    const result = applyPatch(user, idp.ENTRA_LEGACY_UPDATE_USER, users);
    expect(result.resource['emails']).toEqual([
      { value: 'babs@jensen.org', type: 'home' },
      { type: 'work', value: 'bjensen@contoso.com' },
    ]);
    const noEmails = applyPatch(storedUser({ emails: undefined }), patch({ op: 'Add', path: 'emails[type eq "work"].value', value: 'x@y.z' }), users);
    expect(noEmails.resource['emails']).toEqual([{ type: 'work', value: 'x@y.z' }]);
  });

  it('Entra legacy: enterprise URN paths', () => {
    const result = applyPatch(storedUser({ [E]: undefined, schemas: [USER_SCHEMA] }), idp.ENTRA_LEGACY_ENTERPRISE_UPDATE, users);
    expect(result.resource[E]).toEqual({ employeeNumber: '701984', department: 'Tour Operations' });
    expect(result.resource['schemas']).toEqual([USER_SCHEMA, E]);
    expect(result.changedAttributes).toEqual([`${E}:employeeNumber`, `${E}:department`]);
  });

  it.each([
    ['string', idp.ENTRA_ADD_MANAGER_STRING],
    ['array under the unqualified name', idp.ENTRA_ADD_MANAGER_ARRAY],
    ['object', patch({ op: 'add', path: `${E}:manager`, value: { value: '26118915-6090-4610-87a4-9e6dc4be9e1f' } })],
  ])('Entra: manager given as %s', (_, body) => {
    const user = storedUser({ [E]: { department: 'Ops', manager: { value: 'old-manager', displayName: 'Old Boss' } } });
    const result = applyPatch(user, body, users);
    expect((result.resource[E] as JsonObject)['manager']).toMatchObject({ value: '26118915-6090-4610-87a4-9e6dc4be9e1f' });
    expect((result.resource[E] as JsonObject)['manager']).not.toHaveProperty('displayName');
    expect(result.changedAttributes).toContain(`${E}:manager.value`);
  });

  it.each([
    ['Replace with ""', idp.ENTRA_CLEAR_MANAGER],
    ['Remove', idp.ENTRA_REMOVE_MANAGER],
    ['Replace with null', patch({ op: 'Replace', path: `${E}:manager`, value: null })],
  ])('Entra: manager removed by %s', (_, body) => {
    const result = applyPatch(storedUser(), body, users);
    expect(result.resource[E]).toEqual({ employeeNumber: '701984', department: 'Tour Operations' });
    expect(result.changedAttributes).toEqual([`${E}:manager.value`, `${E}:manager.displayName`]);
  });

  it('Entra 2020: pathless replace with dotted and URN keys, plus filtered email replace', () => {
    const result = applyPatch(storedUser(), idp.ENTRA_2020_PATHLESS_REPLACE, users);
    expect(result.resource).toMatchObject({
      displayName: 'Pvlo',
      name: { givenName: 'Pavlo', familyName: 'Sydorenko', formatted: 'Ms. Barbara J Jensen III' },
      [E]: { employeeNumber: '123', department: 'Engineering' },
    });
    expect((result.resource['emails'] as JsonObject[])[0]).toEqual({ value: 'pavlo@contoso.com', type: 'work', primary: true });
    expect(result.changedAttributes).toEqual(['displayName', 'name.familyName', 'name.givenName', `${E}:employeeNumber`, `${E}:department`, 'emails']);
  });

  it('Entra 2020: add nickName and boolean active', () => {
    expect(applyPatch(storedUser(), idp.ENTRA_2020_ADD_NICKNAME, users).resource['nickName']).toBe('Babs');
    expect(applyPatch(storedUser(), idp.ENTRA_2020_DISABLE_USER, users).resource['active']).toBe(false);
  });

  it('Okta: pathless replace {active:false} then {active:true}', () => {
    const off = applyPatch(storedUser(), idp.OKTA_DEACTIVATE_USER, users);
    expect(off.resource['active']).toBe(false);
    expect(off.changedAttributes).toEqual(['active']);
    const on = applyPatch(off.resource, idp.OKTA_REACTIVATE_USER, users);
    expect(on.resource['active']).toBe(true);
  });

  it('Okta: group rename re-sending the unchanged id is accepted', () => {
    const result = applyPatch(storedGroup(), idp.OKTA_GROUP_RENAME, groups);
    expect(result.resource['displayName']).toBe('Test SCIMv2 renamed');
    expect(result.changedAttributes).toEqual(['displayName']);
  });

  // members.display is readOnly (the server names members from the users): a display sent is dropped.
  it('Okta: filtered member remove + add in one PATCH', () => {
    const result = applyPatch(storedGroup(), idp.OKTA_GROUP_MEMBERSHIP, groups);
    expect(result.resource['members']).toEqual([{ value: '9c26ba1c4a7e4e2c8d11', display: 'Mandy Pepperidge' }, { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173' }]);
    expect(result.changedAttributes).toEqual(['members']);
  });

  it('Okta: replace members pushes the full set (stale members go)', () => {
    const result = applyPatch(storedGroup(), idp.OKTA_GROUP_FULL_PUSH, groups);
    expect(result.resource['members']).toEqual([{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173' }]);
  });

  it('Entra: Add members (many, with $ref null) without duplicates', () => {
    const result = applyPatch(storedGroup(), idp.ENTRA_ADD_MEMBERS, groups);
    expect(result.resource['members']).toEqual([
      { value: 'f648f8d5ea4e4cd38e9c', display: 'Babs Jensen' },
      { value: '9c26ba1c4a7e4e2c8d11', display: 'Mandy Pepperidge' },
    ]);
    expect(result.changedAttributes).toEqual([]);
  });

  it.each([
    ['Entra legacy Remove members with a value list', idp.ENTRA_LEGACY_REMOVE_MEMBERS, ['9c26ba1c4a7e4e2c8d11']],
    ['Entra 2020 remove members[value eq …]', idp.ENTRA_2020_REMOVE_MEMBER, ['9c26ba1c4a7e4e2c8d11']],
    ['JumpCloud remove members with a value list', idp.JUMPCLOUD_REMOVE_MEMBERS, ['f648f8d5ea4e4cd38e9c']],
    ['remove with an empty value list removes nothing', patch({ op: 'Remove', path: 'members', value: [] }), ['f648f8d5ea4e4cd38e9c', '9c26ba1c4a7e4e2c8d11']],
    ['remove of an absent member is a no-op', patch({ op: 'remove', path: 'members[value eq "gone"]' }), ['f648f8d5ea4e4cd38e9c', '9c26ba1c4a7e4e2c8d11']],
    ['remove members without a value removes all', patch({ op: 'remove', path: 'members' }), []],
  ])('%s', (_, body, remaining) => {
    const result = applyPatch(storedGroup(), body, groups);
    expect(((result.resource['members'] ?? []) as JsonObject[]).map((m) => m['value'])).toEqual(remaining);
  });

  it('JumpCloud add members', () => {
    const result = applyPatch(storedGroup(), idp.JUMPCLOUD_ADD_MEMBERS, groups);
    expect((result.resource['members'] as JsonObject[]).map((m) => m['value'])).toEqual(['f648f8d5ea4e4cd38e9c', '9c26ba1c4a7e4e2c8d11', '5f1b0c8e2a']);
  });

  it('replace title; Entra Replace displayName on a group', () => {
    expect(applyPatch(storedUser(), patch({ op: 'replace', path: 'title', value: 'Staff Engineer' }), users).resource['title']).toBe('Staff Engineer');
    expect(applyPatch(storedGroup(), idp.ENTRA_REPLACE_GROUP_NAME, groups).resource['displayName']).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
  });

  it('accepts lowercase "operations" and ops in any case', () => {
    const result = applyPatch(storedUser(), { schemas: [PATCH_OP_SCHEMA], operations: [{ op: 'REPLACE', path: 'title', value: 'x' }, { Op: 'ADD', path: 'nickName', value: 'y' }] }, users);
    expect(result.resource).toMatchObject({ title: 'x', nickName: 'y' });
  });
});

describe('RFC 7644 PATCH semantics', () => {
  it('add to a multi-valued attribute appends and merges equal values', () => {
    const result = applyPatch(storedUser(), patch({ op: 'add', path: 'emails', value: [{ value: 'BJENSEN@example.com', type: 'work', display: 'Work' }, { value: 'new@x.io', type: 'other' }] }), users);
    expect(result.resource['emails']).toEqual([
      { value: 'BJENSEN@example.com', type: 'work', primary: true, display: 'Work' },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'new@x.io', type: 'other' },
    ]);
  });

  it('a new primary clears the old one', () => {
    const result = applyPatch(storedUser(), patch({ op: 'add', path: 'emails', value: [{ value: 'new@x.io', type: 'other', primary: 'True' }] }), users);
    const emails = result.resource['emails'] as JsonObject[];
    expect(emails.filter((e) => e['primary'] === true)).toEqual([{ value: 'new@x.io', type: 'other', primary: true }]);
    expect(emails[0]['primary']).toBe(false);
    const viaFilter = applyPatch(storedUser(), patch({ op: 'replace', path: 'emails[type eq "home"].primary', value: true }), users);
    expect((viaFilter.resource['emails'] as JsonObject[]).map((e) => e['primary'])).toEqual([false, true]);
    const replaced = applyPatch(storedUser(), patch({ op: 'replace', path: 'emails', value: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: true }] }), users);
    expect((replaced.resource['emails'] as JsonObject[]).map((e) => e['primary'])).toEqual([false, true]);
  });

  it('replace on a complex attribute merges sub-attributes; sub-attribute paths set one', () => {
    const merged = applyPatch(storedUser(), patch({ op: 'replace', path: 'name', value: { givenName: 'B' } }), users);
    expect(merged.resource['name']).toEqual({ formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'B' });
    expect(merged.changedAttributes).toEqual(['name.givenName']);
    const sub = applyPatch(storedUser({ name: undefined }), patch({ op: 'add', path: 'name.familyName', value: 'J' }), users);
    expect(sub.resource['name']).toEqual({ familyName: 'J' });
  });

  it('remove with a filter removes only the matching values, and sub-attribute removes', () => {
    expect(applyPatch(storedUser(), patch({ op: 'remove', path: 'emails[type eq "home"]' }), users).resource['emails']).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
    expect(applyPatch(storedUser(), patch({ op: 'remove', path: 'emails[type eq "work"].primary' }), users).resource['emails']).toEqual([
      { value: 'bjensen@example.com', type: 'work' },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
    const noPhones = applyPatch(storedUser(), patch({ op: 'remove', path: 'phoneNumbers[type eq "work"]' }), users);
    expect(noPhones.resource).not.toHaveProperty('phoneNumbers');
    expect(applyPatch(storedUser(), patch({ op: 'remove', path: 'name.givenName' }), users).resource['name']).toEqual({ formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen' });
  });

  it('removing the last extension attribute drops the extension and its schema URI', () => {
    const user = storedUser({ [E]: { department: 'Ops' } });
    const result = applyPatch(user, patch({ op: 'remove', path: `${E}:department` }), users);
    expect(result.resource).not.toHaveProperty(E);
    expect(result.resource['schemas']).toEqual([USER_SCHEMA]);
    expect(applyPatch(storedUser(), patch({ op: 'remove', path: E }), users).resource).not.toHaveProperty(E);
  });

  it('replace on the extension URN path replaces the attributes it names', () => {
    const result = applyPatch(storedUser(), patch({ op: 'replace', path: E, value: { department: 'Sales', manager: 'm2' } }), users);
    expect(result.resource[E]).toEqual({ employeeNumber: '701984', department: 'Sales', manager: { value: 'm2' } });
  });

  it('a no-op PATCH reports no changes and does not touch the input', () => {
    const user = storedUser();
    const snapshot = JSON.stringify(user);
    const result = applyPatch(user, patch({ op: 'replace', path: 'userName', value: 'Bjensen@Example.com' }, { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }] }, { op: 'remove', path: 'nickName' }), users);
    expect(result.changedAttributes).toEqual([]);
    expect(JSON.stringify(user)).toBe(snapshot);
    applyPatch(user, idp.ENTRA_LEGACY_UPDATE_USER, users);
    expect(JSON.stringify(user)).toBe(snapshot);
  });

  it('is atomic: a failing operation leaves nothing applied', () => {
    const user = storedUser();
    expectScimError(() => applyPatch(user, patch({ op: 'replace', path: 'title', value: 'x' }, { op: 'replace', path: 'id', value: 'other' }), users), 'mutability');
    expect(user['title']).toBeUndefined();
  });

  it('ignores unknown pathless keys by default, and rejects them on request', () => {
    expect(applyPatch(storedUser(), patch({ op: 'replace', value: { customThing: 1, title: 'T' } }), users).resource['title']).toBe('T');
    expectScimError(() => applyPatch(storedUser(), patch({ op: 'replace', value: { customThing: 1 } }), users, { unknownAttributes: 'reject' }), 'invalidPath');
  });
});

describe('mutability and error rules', () => {
  it.each([
    ['replace of id with a different value', patch({ op: 'replace', path: 'id', value: 'x' }), 'mutability'],
    ['pathless id change', patch({ op: 'replace', value: { id: 'x' } }), 'mutability'],
    ['add to the readOnly groups', patch({ op: 'add', path: 'groups', value: [{ value: 'g1' }] }), 'mutability'],
    ['remove of readOnly groups when present', patch({ op: 'remove', path: 'groups' }), 'mutability'],
    ['remove of required userName', patch({ op: 'remove', path: 'userName' }), 'mutability'],
    ['replace of userName with null', patch({ op: 'replace', path: 'userName', value: null }), 'mutability'],
    ['remove without path', patch({ op: 'remove' }), 'noTarget'],
    ['filtered replace that matches nothing and pins nothing', patch({ op: 'replace', path: 'emails[value co "nomatch"].type', value: 'x' }), 'noTarget'],
    ['unknown attribute path', patch({ op: 'replace', path: 'nope', value: 'x' }), 'invalidPath'],
    ['unknown sub-attribute', patch({ op: 'replace', path: 'name.nope', value: 'x' }), 'invalidPath'],
    ['bad filter in path', patch({ op: 'remove', path: 'emails[type eq]' }), 'invalidPath'],
    ['unknown schema URN', patch({ op: 'replace', path: 'urn:example:nope:attr', value: 'x' }), 'invalidPath'],
    ['trailing garbage after filter', patch({ op: 'remove', path: 'emails[type eq "work"]x' }), 'invalidPath'],
    ['non-boolean active', patch({ op: 'replace', path: 'active', value: 'maybe' }), 'invalidValue'],
    ['object for a string', patch({ op: 'replace', path: 'title', value: { a: 1 } }), 'invalidValue'],
    ['pathless non-object value', patch({ op: 'replace', value: 'x' }), 'invalidValue'],
    ['add without value', patch({ op: 'add', path: 'title' }), 'invalidValue'],
    ['unknown op', patch({ op: 'move', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['empty Operations', patch(), 'invalidSyntax'],
    ['wrong message schema', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
  ])('%s → %s', (_, body, scimType) => {
    const user = storedUser({ groups: [{ value: 'g0', display: 'G0' }] });
    expectScimError(() => applyPatch(user, body, users), scimType);
  });

  it.each([
    ['id echoed unchanged', patch({ op: 'replace', path: 'id', value: '2819c223-7f76-453a-919d-413861904646' })],
    ['meta sent by the client', patch({ op: 'replace', path: 'meta', value: { resourceType: 'X' } })],
    ['pathless meta and schemas', patch({ op: 'replace', value: { meta: { version: 'W/"9"' }, schemas: ['x'] } })],
    ['readOnly groups echoed unchanged', patch({ op: 'replace', path: 'groups', value: [{ value: 'g0', display: 'G0' }] })],
    ['remove of absent readOnly attribute', patch({ op: 'remove', path: 'meta' })],
  ])('tolerated echo: %s', (_, body) => {
    const result = applyPatch(storedUser({ groups: [{ value: 'g0', display: 'G0' }] }), body, users);
    expect(result.changedAttributes).toEqual([]);
  });

  it('immutable values may be set once but not changed', () => {
    const group = storedGroup();
    expectScimError(() => applyPatch(group, patch({ op: 'replace', path: 'members[value eq "f648f8d5ea4e4cd38e9c"].value', value: 'other' }), groups), 'mutability');
    expect(applyPatch(group, patch({ op: 'replace', path: 'members[value eq "f648f8d5ea4e4cd38e9c"].value', value: 'f648f8d5ea4e4cd38e9c' }), groups).changedAttributes).toEqual([]);
    const typed = applyPatch(group, patch({ op: 'add', path: 'members[value eq "f648f8d5ea4e4cd38e9c"].type', value: 'User' }), groups);
    expect((typed.resource['members'] as JsonObject[])[0]).toEqual({ value: 'f648f8d5ea4e4cd38e9c', display: 'Babs Jensen', type: 'User' });
    expectScimError(() => applyPatch(typed.resource, patch({ op: 'remove', path: 'members[value eq "f648f8d5ea4e4cd38e9c"].type' }), groups), 'mutability');
  });

  it('error bodies carry the product code', () => {
    const error = expectScimError(() => applyPatch(storedUser(), patch({ op: 'replace', path: 'id', value: 'x' }), users), 'mutability');
    expect(error.toBody()).toMatchObject({ status: '400', scimType: 'mutability', detail: expect.stringMatching(/^SCIM_MUTABILITY: /) });
  });
});

describe('property: random PATCH bodies give a resource or a 400 ScimError', () => {
  const path = fc.constantFrom(
    'userName', 'active', 'title', 'name', 'name.givenName', 'emails', 'emails.value', 'emails[type eq "work"]', 'emails[type eq "work"].value',
    'emails[value co "x"].primary', 'members', 'members[value eq "a"]', 'groups', 'id', 'meta', 'meta.version', E, `${E}:manager`, `${E}:manager.value`,
    `${E}:department`, 'manager', 'urn:x', 'emails[', 'emails[type eq "work"].', '', ' ', 'x509Certificates', 'phoneNumbers[type eq "work"].value', 'addresses[type eq "home"].locality',
  );
  const json = fc.jsonValue({ maxDepth: 3 });
  const value = fc.oneof(json, fc.constantFrom('True', 'False', '', null, [{ value: 'a' }], { value: 'm' }, { givenName: 'g' }, [{ value: 'x', primary: true }, { value: 'y', primary: 'true' }]));
  const operation = fc.record(
    { op: fc.constantFrom('add', 'Add', 'replace', 'REPLACE', 'remove', 'Remove', 'nope', 3), path, value },
    { requiredKeys: ['op'] },
  );
  const pathless = fc.record({
    op: fc.constantFrom('add', 'replace'),
    value: fc.dictionary(fc.oneof(path, fc.string()), value, { maxKeys: 4 }),
  });
  const body = fc.oneof(
    fc.record({ schemas: fc.constant([PATCH_OP_SCHEMA]), Operations: fc.array(fc.oneof(operation, pathless), { maxLength: 5 }) }),
    json,
    fc.record({ Operations: fc.array(json, { maxLength: 3 }) }),
  );
  const resources = fc.oneof(fc.constant(storedUser()), fc.constant(storedUser({ groups: [{ value: 'g' }], emails: 'junk', name: 5 })), json.filter((j) => j !== null && typeof j === 'object' && !Array.isArray(j)).map((j) => j as unknown as JsonObject));

  it('never throws anything else', () => {
    fc.assert(
      fc.property(resources, body, (resource, request) => {
        const before = JSON.stringify(resource);
        try {
          const result = applyPatch(resource, request, users);
          expect(Array.isArray(result.changedAttributes)).toBe(true);
          JSON.stringify(result.resource);
        } catch (error) {
          if (!(error instanceof ScimError) || error.status !== 400) throw error;
        }
        expect(JSON.stringify(resource)).toBe(before);
      }),
      { numRuns: 4000 },
    );
  });
});

describe('custom attributes (workspace extension) as Entra and Okta send them', () => {
  const custom = customUserRegistry().forResourceType('User');
  const X = AXIS_USER_EXTENSION_SCHEMA;
  const extensionOf = (resource: JsonObject) => resource[X] as JsonObject;

  it('Entra: full URN path per operation, string values coerced to the type', () => {
    const result = applyPatch(storedUser(), patch({ op: 'Add', path: `${X}:costCode`, value: 'CC-7' }, { op: 'Replace', path: `${X}:seats`, value: '3' }, { op: 'Add', path: `${X}:remote`, value: 'True' }), custom);
    expect(extensionOf(result.resource)).toEqual({ costCode: 'CC-7', seats: 3, remote: true });
    expect(result.resource['schemas']).toEqual([USER_SCHEMA, E, X]);
    expect(result.changedAttributes).toEqual([`${X}:costCode`, `${X}:seats`, `${X}:remote`]);
    expect(result.ignoredAttributes).toEqual([]);
  });

  it('Entra 2020: pathless value with flattened URN keys; Okta: pathless value with the extension object', () => {
    const flattened = applyPatch(storedUser(), patch({ op: 'replace', value: { [`${X}:costCode`]: 'A', [`${X}:startDate`]: '2024-05-01T08:00:00+02:00', displayName: 'B' } }), custom);
    expect(extensionOf(flattened.resource)).toEqual({ costCode: 'A', startDate: '2024-05-01T06:00:00.000Z' });
    const nested = applyPatch(storedUser(), patch({ op: 'replace', value: { [X]: { costCode: 'A', tags: ['x', 'y'] } } }), custom);
    expect(extensionOf(nested.resource)).toEqual({ costCode: 'A', tags: ['x', 'y'] });
  });

  it('multi-valued simple values: add appends what is new (caseExact false), remove with a value list, replace whole', () => {
    const user = storedUser({ [X]: { tags: ['Blue'] } });
    const added = applyPatch(user, patch({ op: 'add', path: `${X}:tags`, value: ['blue', 'red'] }), custom);
    expect(extensionOf(added.resource)['tags']).toEqual(['Blue', 'red']);
    const removed = applyPatch(added.resource, patch({ op: 'remove', path: `${X}:tags`, value: ['RED'] }), custom);
    expect(extensionOf(removed.resource)['tags']).toEqual(['Blue']);
    const last = applyPatch(removed.resource, patch({ op: 'remove', path: `${X}:tags`, value: 'blue' }), custom);
    expect(last.resource).not.toHaveProperty(X);
    expect(applyPatch(user, patch({ op: 'replace', path: `${X}:tags`, value: 'green' }), custom).resource[X]).toEqual({ tags: ['green'] });
    expect(applyPatch(user, patch({ op: 'add', path: `${X}:scores`, value: [1, '2'] }), custom).resource[X]).toEqual({ tags: ['Blue'], scores: [1, 2] });
  });

  it.each([
    [`${X}:seats`, 'three', 'must be an integer'],
    [`${X}:rate`, { a: 1 }, 'must be a number'],
    [`${X}:remote`, 'maybe', 'must be a boolean'],
    [`${X}:startDate`, 'yesterday', 'must be an ISO-8601 date-time'],
    [`${X}:scores`, [1, 'x'], 'must be an integer'],
  ])('a value of the wrong type for %s is 400 invalidValue naming the attribute', (path, value, message) => {
    for (const body of [patch({ op: 'replace', path, value }), patch({ op: 'replace', value: { [path]: value } })]) {
      const error = expectScimError(() => applyPatch(storedUser(), body, custom), 'invalidValue');
      expect(error.code).toBe('SCIM_INVALID_VALUE');
      expect(error.detail).toBe(`"${path}" ${message}`);
    }
  });

  it('attributes no schema defines are ignored and listed, with unknownPaths: ignore', () => {
    const result = applyPatch(
      storedUser(),
      patch(
        { op: 'Add', path: `${X}:costCentre`, value: 'x' },
        { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:grade', value: 'x' },
        { op: 'Remove', path: 'nickname2' },
        { op: 'replace', value: { [`${X}:costCode`]: 'A', [`${X}:nope`]: 1, shoeSize: 42, [X]: { alsoNope: true }, 'urn:example:other:1.0:User': { a: 1, b: 2 } } },
      ),
      custom,
      { unknownPaths: 'ignore' },
    );
    expect(extensionOf(result.resource)).toEqual({ costCode: 'A' });
    expect(result.ignoredAttributes).toEqual([
      `${X}:costCentre`,
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:grade',
      'nickname2',
      `${X}:nope`,
      'shoeSize',
      `${X}:alsoNope`,
      'urn:example:other:1.0:User:a',
      'urn:example:other:1.0:User:b',
    ]);
    // By default an unknown path stays an RFC invalidPath; a malformed one is invalidPath either way.
    expectScimError(() => applyPatch(storedUser(), patch({ op: 'add', path: `${X}:costCentre`, value: 'x' }), custom), 'invalidPath');
    expectScimError(() => applyPatch(storedUser(), patch({ op: 'add', path: 'emails[type eq', value: 'x' }), custom, { unknownPaths: 'ignore' }), 'invalidPath');
  });

  it('unknown sub-attributes inside values are dropped and reported, or refused with the attribute named', () => {
    const body = patch({ op: 'replace', path: 'name', value: { givenName: 'Ada', nickname: 'x' } }, { op: 'add', value: { emails: [{ value: 'a@example.com', label: 'x' }] } });
    const result = applyPatch(storedUser(), body, users);
    expect(result.resource['name']).toMatchObject({ givenName: 'Ada' });
    expect(result.resource['name']).not.toHaveProperty('nickname');
    expect(result.ignoredAttributes).toEqual(['name.nickname', 'emails.label']);
    const error = expectScimError(() => applyPatch(storedUser(), body, users, { unknownAttributes: 'reject' }), 'invalidPath');
    expect(error.toBody().detail).toBe('SCIM_INVALID_PATH: Unknown attribute "name.nickname": no schema of this resource defines it');
  });

  it.each([
    ['an unknown path', { op: 'replace', path: `${X}:costCentre`, value: 'x' }, `${X}:costCentre`],
    ['an unknown pathless key', { op: 'replace', value: { shoeSize: 42 } }, 'shoeSize'],
    ['an unknown attribute of a known extension', { op: 'replace', value: { [X]: { alsoNope: true } } }, `${X}:alsoNope`],
    ['an unknown extension object', { op: 'replace', value: { 'urn:example:other:1.0:User': { a: 1 } } }, 'urn:example:other:1.0:User:a'],
  ])('refuses %s when both policies reject, naming it', (_what, operation, named) => {
    const error = expectScimError(() => applyPatch(storedUser(), patch(operation), custom, { unknownAttributes: 'reject', unknownPaths: 'reject' }), 'invalidPath');
    expect(error.code).toBe('SCIM_INVALID_PATH');
    expect(error.detail).toBe(`Unknown attribute "${named}": no schema of this resource defines it`);
  });

  it('a readOnly extension attribute (a deprecated custom one) may be echoed, not changed, cleared or removed with its extension', () => {
    const withReadOnly = createDefaultSchemaRegistry()
      .withExtension({ ...CUSTOM_USER_EXTENSION, attributes: [...CUSTOM_USER_EXTENSION.attributes, defineAttribute('legacyGrade', 'string', { mutability: 'readOnly' })] }, 'User')
      .forResourceType('User');
    const user = storedUser({ schemas: [USER_SCHEMA, X], [X]: { costCode: 'A', legacyGrade: 'G7' } });
    const echo = applyPatch(user, patch({ op: 'replace', path: `${X}:legacyGrade`, value: 'G7' }, { op: 'replace', value: { [X]: { legacyGrade: 'G7', costCode: 'B' } } }), withReadOnly);
    expect(extensionOf(echo.resource)).toEqual({ costCode: 'B', legacyGrade: 'G7' });
    for (const operation of [
      { op: 'replace', path: `${X}:legacyGrade`, value: 'G8' },
      { op: 'replace', value: { [`${X}:legacyGrade`]: 'G8' } },
      { op: 'remove', path: `${X}:legacyGrade` },
      { op: 'remove', path: X },
      { op: 'replace', path: X, value: null },
    ]) {
      expect(expectScimError(() => applyPatch(user, patch(operation), withReadOnly), 'mutability').detail).toBe(`"${X}:legacyGrade" is read-only`);
    }
    // Without a readOnly value in it, the extension goes as before.
    expect(applyPatch(storedUser({ schemas: [USER_SCHEMA, X], [X]: { costCode: 'A' } }), patch({ op: 'remove', path: X }), withReadOnly).resource).not.toHaveProperty(X);
  });

  it('without the extension bound, its attributes are unknown', () => {
    const result = applyPatch(storedUser(), patch({ op: 'add', path: `${X}:costCode`, value: 'x' }, { op: 'add', value: { [X]: { seats: 1 } } }), users, { unknownPaths: 'ignore' });
    expect(result.resource).not.toHaveProperty(X);
    expect(result.changedAttributes).toEqual([]);
    expect(result.ignoredAttributes).toEqual([`${X}:costCode`, `${X}:seats`]);
  });
});

describe('property: random PATCH bodies over custom attributes give a resource or a 400 ScimError', () => {
  const custom = customUserRegistry().forResourceType('User');
  const X = AXIS_USER_EXTENSION_SCHEMA;
  const path = fc.constantFrom(
    X, `${X}:costCode`, `${X}:badge`, `${X}:seats`, `${X}:rate`, `${X}:remote`, `${X}:startDate`, `${X}:homePage`, `${X}:tags`, `${X}:scores`,
    `${X}:nope`, `${X}:tags[value eq "x"]`, `${X}:tags.value`, 'costCode', 'tags', 'seats', 'urn:example:other:1.0:User:a', 'userName', 'emails[type eq "work"].value', 'urn:', '',
  );
  const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double(), fc.boolean(), fc.constantFrom('True', '3', '2024-01-02T03:04:05Z', '', null));
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.constantFrom('costCode', 'tags', 'seats', 'nope', 'remote'), scalar, { maxKeys: 3 }));
  const operation = fc.record({ op: fc.constantFrom('add', 'Replace', 'remove'), path, value }, { requiredKeys: ['op'] });
  const pathless = fc.record({ op: fc.constantFrom('add', 'replace'), value: fc.dictionary(fc.oneof(path, fc.string({ maxLength: 6 })), value, { maxKeys: 4 }) });
  const body = fc.record({ schemas: fc.constant([PATCH_OP_SCHEMA]), Operations: fc.array(fc.oneof(operation, pathless), { minLength: 1, maxLength: 5 }) });
  const resources = fc.oneof(
    fc.constant(storedUser()),
    fc.constant(storedUser({ schemas: [USER_SCHEMA, X], [X]: { costCode: 'a', tags: ['x'], seats: 1 } })),
    fc.constant(storedUser({ [X]: { tags: 'not-a-list', scores: [1, { junk: true }] } })),
  );

  it('never throws anything else, and every value kept has its attribute type', () => {
    fc.assert(
      fc.property(resources, body, fc.constantFrom<'ignore' | 'reject'>('ignore', 'reject'), (resource, request, unknownPaths) => {
        const before = JSON.stringify(resource);
        try {
          const result = applyPatch(resource, request, custom, { unknownPaths });
          expect(result.ignoredAttributes.every((name) => typeof name === 'string' && name !== '')).toBe(true);
          const extension = result.resource[X];
          if (extension !== undefined) {
            for (const name of result.changedAttributes.filter((changed) => changed.startsWith(`${X}:`))) {
              const attribute = custom.resolve(name)!;
              const written = (extension as JsonObject)[attribute.attribute.name];
              if (written !== undefined) expect([name, valueConformsTo(attribute.attribute, written)]).toEqual([name, true]);
            }
          }
        } catch (error) {
          if (!(error instanceof ScimError) || error.status !== 400) throw error;
        }
        expect(JSON.stringify(resource)).toBe(before);
      }),
      { numRuns: 3000 },
    );
  });
});
