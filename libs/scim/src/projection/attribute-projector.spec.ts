import { createDefaultSchemaRegistry } from '../schemas/schema-registry';
import { ENTERPRISE_USER_SCHEMA as E, USER_SCHEMA } from '../schemas/schema-uris';
import { storedGroup, storedUser } from '../testing/resource-fixtures';
import { projectResource } from './attribute-projector';
import { buildResourceMeta, formatETag, parseETag } from './resource-meta';

const registry = createDefaultSchemaRegistry();
const users = registry.forResourceType('User');
const groups = registry.forResourceType('Group');
const user = storedUser({ password: 'secret' });

describe('projection', () => {
  it('never returns password; returns everything else by default', () => {
    const projected = projectResource(user, users);
    expect(projected).not.toHaveProperty('password');
    expect(Object.keys(projected)).toEqual(Object.keys(user).filter((k) => k !== 'password'));
  });

  it('attributes= keeps id and schemas always, plus the named ones (case-insensitive, sub-attributes, URNs)', () => {
    expect(projectResource(user, users, { attributes: 'USERNAME, name.givenName' })).toEqual({
      schemas: [USER_SCHEMA],
      id: user['id'],
      userName: user['userName'],
      name: { givenName: 'Barbara' },
    });
    expect(projectResource(user, users, { attributes: [`${E}:department`, 'emails.value'] })).toEqual({
      schemas: [USER_SCHEMA, E],
      id: user['id'],
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }],
      [E]: { department: 'Tour Operations' },
    });
    expect(projectResource(user, users, { attributes: 'emails[type eq "work"]' })['emails']).toEqual(user['emails']);
    expect(projectResource(user, users, { attributes: E })[E]).toEqual(user[E]);
    expect(projectResource(user, users, { attributes: 'password' })).not.toHaveProperty('password');
  });

  it('excludedAttributes removes default attributes but never id', () => {
    expect(projectResource(storedGroup(), groups, { excludedAttributes: 'members' })).not.toHaveProperty('members');
    const projected = projectResource(user, users, { excludedAttributes: `id,emails,name.formatted,${E}:manager.displayName,meta` });
    expect(projected['id']).toBe(user['id']);
    expect(projected).not.toHaveProperty('emails');
    expect(projected).not.toHaveProperty('meta');
    expect(projected['name']).toEqual({ familyName: 'Jensen', givenName: 'Barbara' });
    expect((projected[E] as Record<string, unknown>)['manager']).toEqual({ value: '26118915-6090-4610-87a4-9e6dc4be9e1f' });
    expect(projectResource(user, users, { excludedAttributes: E })).not.toHaveProperty(E);
    expect(projectResource(user, users, { excludedAttributes: E })['schemas']).toEqual([USER_SCHEMA]);
  });

  it('builds meta with a weak ETag version', () => {
    expect(buildResourceMeta({ resourceType: 'User', baseUrl: 'https://a.example/scim/v2/', endpoint: '/Users', id: 'u 1', created: new Date(0), lastModified: '2020-01-01T00:00:00.000Z', revision: 7 })).toEqual({
      resourceType: 'User',
      created: '1970-01-01T00:00:00.000Z',
      lastModified: '2020-01-01T00:00:00.000Z',
      location: 'https://a.example/scim/v2/Users/u%201',
      version: 'W/"7"',
    });
    expect(formatETag(3n)).toBe('W/"3"');
    expect(parseETag('W/"12"')).toBe('12');
    expect(parseETag('"12"')).toBe('12');
    expect(parseETag('*')).toBeUndefined();
  });
});
