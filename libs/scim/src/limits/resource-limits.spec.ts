import { ScimError } from '../errors/scim-error';
import { applyPatch } from '../patch/patch-engine';
import { normalizePatchRequest } from '../patch/patch-request';
import { readNewResource, replaceResource } from '../put/resource-replacer';
import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { AXIS_USER_EXTENSION_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../schemas/schema-uris';
import { customUserRegistry, storedUser } from '../testing/resource-fixtures';
import { INDEXED_VALUE_MAX_LENGTH, MULTI_VALUED_MAX_ELEMENTS, PATCH_MAX_OPERATIONS, RESOURCE_MAX_JSON_LENGTH } from './resource-limits';

const users = createDefaultSchemaRegistry().forResourceType('User');
const groups = createDefaultSchemaRegistry().forResourceType('Group');
const long = 'x'.repeat(INDEXED_VALUE_MAX_LENGTH + 1);
const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `e${i}@example.com` }));

function refusal(work: () => unknown): ScimError {
  try {
    work();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('resource limits (#23)', () => {
  it('caps a PATCH at PATCH_MAX_OPERATIONS operations, users and groups alike, naming the limit', () => {
    const ops = (n: number) => ({ schemas: [PATCH_OP_SCHEMA], Operations: Array.from({ length: n }, () => ({ op: 'replace', path: 'title', value: 'x' })) });
    expect(normalizePatchRequest(ops(PATCH_MAX_OPERATIONS))).toHaveLength(PATCH_MAX_OPERATIONS);
    const error = refusal(() => applyPatch(storedUser(), ops(15_000), users));
    expect(error).toMatchObject({ status: 413, code: 'SCIM_PAYLOAD_TOO_LARGE' });
    expect(error.detail).toContain(`at most ${PATCH_MAX_OPERATIONS} operations`);
  });

  it.each([
    ['userName', { userName: long }],
    ['externalId', { userName: 'a@example.com', externalId: long }],
    ['displayName', { userName: 'a@example.com', displayName: long }],
    ['emails.value', { userName: 'a@example.com', emails: [{ value: 'ok@example.com' }, { value: long }] }],
  ])('refuses a user whose indexed %s is over the limit', (path, body) => {
    const error = refusal(() => readNewResource({ schemas: [USER_SCHEMA], ...body }, users));
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue', code: 'SCIM_INVALID_VALUE' });
    expect(error.detail).toContain(`"${path}" is longer than ${INDEXED_VALUE_MAX_LENGTH} characters`);
  });

  it('takes indexed values at the limit, and long values of attributes nobody indexes', () => {
    const atLimit = 'y'.repeat(INDEXED_VALUE_MAX_LENGTH);
    expect(() => readNewResource({ schemas: [USER_SCHEMA], userName: atLimit, title: long, name: { formatted: long } }, users)).not.toThrow();
  });

  it.each([
    ['displayName', { displayName: long }],
    ['externalId', { displayName: 'g', externalId: long }],
  ])('refuses a group whose indexed %s is over the limit', (path, body) => {
    expect(refusal(() => readNewResource({ schemas: [GROUP_SCHEMA], ...body }, groups)).detail).toContain(`"${path}" is longer than`);
  });

  it('caps every multi-valued attribute, core and extension, at MULTI_VALUED_MAX_ELEMENTS, but not group members', () => {
    expect(() => readNewResource({ schemas: [USER_SCHEMA], userName: 'a', emails: emails(MULTI_VALUED_MAX_ELEMENTS) }, users)).not.toThrow();
    expect(refusal(() => readNewResource({ schemas: [USER_SCHEMA], userName: 'a', emails: emails(MULTI_VALUED_MAX_ELEMENTS + 1) }, users))).toMatchObject({
      status: 400,
      code: 'SCIM_INVALID_VALUE',
      detail: `"emails" has ${MULTI_VALUED_MAX_ELEMENTS + 1} values; a resource may hold at most ${MULTI_VALUED_MAX_ELEMENTS} per attribute`,
    });
    const phones = Array.from({ length: 101 }, (_, i) => ({ value: `+1555${i}` }));
    expect(refusal(() => readNewResource({ schemas: [USER_SCHEMA], userName: 'a', phoneNumbers: phones }, users)).detail).toMatch(/^"phoneNumbers" has 101 values/);
    const custom = customUserRegistry().forResourceType('User');
    const tags = Array.from({ length: 101 }, (_, i) => `t${i}`);
    expect(refusal(() => readNewResource({ schemas: [USER_SCHEMA], userName: 'a', [AXIS_USER_EXTENSION_SCHEMA]: { tags } }, custom)).detail).toContain(`"${AXIS_USER_EXTENSION_SCHEMA}:tags" has 101 values`);
    const members = Array.from({ length: 150 }, (_, i) => ({ value: `u${i}` }));
    expect(() => replaceResource({ displayName: 'g' }, { schemas: [GROUP_SCHEMA], displayName: 'g', members }, groups)).not.toThrow();
  });

  it('counts what a PATCH or PUT makes worse, not what was stored before the limits', () => {
    const stored = { ...storedUser(), displayName: long, emails: emails(150) };
    const deactivate = { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] };
    expect(applyPatch(stored, deactivate, users).resource['active']).toBe(false);
    expect(() => applyPatch(stored, { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'remove', path: 'emails[value eq "e0@example.com"]' }] }, users)).not.toThrow();
    const addEmail = { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'emails', value: [{ value: 'new@example.com' }] }] };
    expect(refusal(() => applyPatch(stored, addEmail, users)).detail).toMatch(/^"emails" has 151 values/);
    const rename = { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'displayName', value: `${long}z` }] };
    expect(refusal(() => applyPatch(stored, rename, users)).detail).toContain('"displayName" is longer than');
    expect(refusal(() => replaceResource(storedUser(), { schemas: [USER_SCHEMA], userName: long }, users)).detail).toContain('"userName" is longer than');
  });

  it('caps a whole resource at RESOURCE_MAX_JSON_LENGTH characters of JSON, however it grows', () => {
    const big = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `e${i}@example.com`, display: 'd'.repeat(2_000) }));
    expect(() => readNewResource({ schemas: [USER_SCHEMA], userName: 'a', emails: big(14) }, users)).not.toThrow();
    expect(refusal(() => readNewResource({ schemas: [USER_SCHEMA], userName: 'a', emails: big(20) }, users)).detail).toMatch(
      new RegExp(`^The resource would be \\d+ characters of JSON; a resource may be at most ${RESOURCE_MAX_JSON_LENGTH}$`),
    );
    const stored = readNewResource({ schemas: [USER_SCHEMA], userName: 'a', emails: big(14) }, users).resource;
    const grow = { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'addresses', value: big(10).map(({ display }, i) => ({ formatted: `${i}${display}` })) }] };
    expect(refusal(() => applyPatch(stored, grow, users))).toMatchObject({ status: 400, code: 'SCIM_INVALID_VALUE' });
  });
});
