import { deciderSpecification } from '../testing/decider-specification';
import { createDefaultSchemaRegistry, ScimError, normalizePatchRequest } from '@axis/scim';
import { decideUserWithReport, evolveUser, initialUserState, UserRuleViolation, type CreateUser, type PatchUser, type ReplaceUser, type UserState, userDecider } from './user.decider';
import type { UserEvent } from './user.events';
import { workspaceUserSchemas } from '../custom-attributes/custom-attribute-schema';

const spec = deciderSpecification(userDecider);
const stateOf = (...events: UserEvent[]): UserState => events.reduce(evolveUser, initialUserState());

const create: CreateUser = {
  type: 'CreateUser',
  userId: 'u1',
  userName: 'ada@example.com',
  externalId: 'ext-1',
  active: true,
  attributes: { userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' } },
};

const created: UserEvent = {
  type: 'ACCOUNT_SCIM_USER_CREATED',
  data: { userId: 'u1', userName: 'ada@example.com', externalId: 'ext-1', active: true, attributes: create.attributes },
};

describe('user decider', () => {
  it('creates a user, carrying externalId', () => {
    spec.given([]).when(create).then([created]);
  });

  it('carries a null externalId when the IdP sent none', () => {
    spec
      .given([])
      .when({ ...create, externalId: null })
      .then([{ ...created, data: { ...created.data, externalId: null } } as UserEvent]);
  });

  it('refuses to create a user twice', () => {
    spec
      .given([created])
      .when(create)
      .thenThrows(UserRuleViolation, (error) => expect((error as UserRuleViolation).rule).toBe('already-exists'));
  });
});

describe('user decider: changes', () => {
  const schema = createDefaultSchemaRegistry().forResourceType('User');
  const patch = (...Operations: unknown[]): PatchUser => ({
    type: 'PatchUser',
    userId: 'u1',
    schema,
    operations: normalizePatchRequest({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations }),
  });

  it('emits UPDATED with only the attributes that really changed', () => {
    spec
      .given([created])
      .when(patch({ op: 'Replace', path: 'name.givenName', value: 'Augusta' }, { op: 'replace', path: 'userName', value: 'ada@example.com' }))
      .then([
        {
          type: 'ACCOUNT_SCIM_USER_UPDATED',
          data: { userId: 'u1', changedAttributes: ['name'], changes: { name: { givenName: 'Augusta', familyName: 'Lovelace' } } },
        },
      ]);
  });

  it('appends nothing for a PATCH that changes nothing', () => {
    spec.given([created]).when(patch({ op: 'replace', path: 'userName', value: 'ada@example.com' })).thenNothingHappens();
  });

  it('deactivates on Okta’s pathless replace and Entra’s string boolean alike', () => {
    const deactivated = [{ type: 'ACCOUNT_SCIM_USER_DEACTIVATED', data: { userId: 'u1' } }] as UserEvent[];
    spec.given([created]).when(patch({ op: 'replace', value: { active: false } })).then(deactivated);
    spec.given([created]).when(patch({ op: 'Replace', path: 'active', value: 'False' })).then(deactivated);
  });

  it('reactivates an inactive user, and does nothing for an already active one', () => {
    const deactivatedEvent: UserEvent = { type: 'ACCOUNT_SCIM_USER_DEACTIVATED', data: { userId: 'u1' } };
    spec
      .given([created, deactivatedEvent])
      .when(patch({ op: 'replace', path: 'active', value: true }))
      .then([{ type: 'ACCOUNT_SCIM_USER_REACTIVATED', data: { userId: 'u1' } }]);
    spec.given([created]).when(patch({ op: 'replace', path: 'active', value: 'True' })).thenNothingHappens();
  });

  it('refuses to remove active or replace it with null, which would change nothing (400 mutability)', () => {
    for (const operation of [{ op: 'remove', path: 'active' }, { op: 'replace', path: 'active', value: null }, { op: 'replace', value: { active: null } }]) {
      spec
        .given([created])
        .when(patch(operation))
        .thenThrows(ScimError, (error) => expect(error).toMatchObject({ status: 400, scimType: 'mutability' }));
    }
  });

  it('records a removed attribute as null', () => {
    spec
      .given([created])
      .when(patch({ op: 'remove', path: 'name' }))
      .then([{ type: 'ACCOUNT_SCIM_USER_UPDATED', data: { userId: 'u1', changedAttributes: ['name'], changes: { name: null } } }]);
  });

  it('replaces the whole resource on PUT, keeping the id', () => {
    const replace: ReplaceUser = {
      type: 'ReplaceUser',
      userId: 'u1',
      schema,
      resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u1', userName: 'ada@example.com', active: false },
    };
    spec
      .given([created])
      .when(replace)
      .then([
        { type: 'ACCOUNT_SCIM_USER_UPDATED', data: { userId: 'u1', changedAttributes: ['name'], changes: { name: null } } },
        { type: 'ACCOUNT_SCIM_USER_DEACTIVATED', data: { userId: 'u1' } },
      ]);
  });

  it('ignores and reports attributes no schema defines, or refuses them when the workspace says so', () => {
    const unknownPath = patch({ op: 'replace', path: 'costCentre', value: 'x' }, { op: 'replace', path: 'title', value: 'Countess' });
    const updated: UserEvent = {
      type: 'ACCOUNT_SCIM_USER_UPDATED',
      data: { userId: 'u1', changedAttributes: ['title'], changes: { title: 'Countess' }, ignoredAttributes: ['costCentre'] },
    };
    spec.given([created]).when(unknownPath).then([updated]);
    const replace: ReplaceUser = {
      type: 'ReplaceUser',
      userId: 'u1',
      schema,
      resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', name: create.attributes['name'], shoeSize: 42 },
    };
    expect(decideUserWithReport(replace, stateOf(created))).toEqual({ events: [], ignoredAttributes: ['shoeSize'] });
    for (const command of [
      { ...unknownPath, unknownAttributes: 'reject' as const },
      patch({ op: 'replace', value: { title: 'Countess', shoeSize: 42 } }),
      { ...replace, unknownAttributes: 'reject' as const },
    ]) {
      const strict = { ...command, unknownAttributes: 'reject' as const };
      spec
        .given([created])
        .when(strict)
        .thenThrows(ScimError, (error) => expect(error).toMatchObject({ status: 400, scimType: 'invalidPath', detail: expect.stringMatching(/^Unknown attribute "(costCentre|shoeSize)"/) }));
    }
  });

  it('keeps a deprecated attribute as stored: PUT ignores it (write schema), PATCH (published schema: readOnly) may echo it, not change it', () => {
    const X = 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User';
    const definition = { type: 'string' as const, multiValued: false, caseExact: false, required: false, canonicalValues: [], description: '' };
    const { reads, writes } = workspaceUserSchemas([{ ...definition, name: 'costCode', deprecated: false }, { ...definition, name: 'grade', deprecated: true }]);
    const withGrade: UserEvent = { ...created, data: { ...created.data, attributes: { ...create.attributes, [X]: { costCode: 'A', grade: 'G7' } } } } as UserEvent;
    const put: ReplaceUser = { type: 'ReplaceUser', userId: 'u1', schema: writes, resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], ...create.attributes, [X]: { costCode: 'A', grade: 'G8' } } };
    expect(decideUserWithReport(put, stateOf(withGrade))).toEqual({ events: [], ignoredAttributes: [`${X}:grade`] });
    const patchWith = (...Operations: unknown[]): PatchUser => ({ ...patch(...Operations), schema: reads });
    spec.given([withGrade]).when(patchWith({ op: 'replace', path: `${X}:grade`, value: 'G7' }, { op: 'replace', path: `${X}:costCode`, value: 'A' })).thenNothingHappens();
    for (const operation of [{ op: 'replace', path: `${X}:grade`, value: 'G8' }, { op: 'remove', path: `${X}:grade` }, { op: 'remove', path: X }]) {
      spec
        .given([withGrade])
        .when(patchWith(operation))
        .thenThrows(ScimError, (error) => expect(error).toMatchObject({ status: 400, scimType: 'mutability', detail: `"${X}:grade" is read-only` }));
    }
  });

  it('refuses to change a user that does not exist or was deleted', () => {
    spec.given([]).when(patch({ op: 'replace', path: 'displayName', value: 'x' })).thenThrows(UserRuleViolation);
    spec
      .given([created, { type: 'ACCOUNT_SCIM_USER_DELETED', data: { userId: 'u1' } }])
      .when({ type: 'DeleteUser', userId: 'u1' })
      .thenThrows(UserRuleViolation, (error) => expect((error as UserRuleViolation).rule).toBe('not-found'));
  });

  it('deletes, which is a different fact from deactivation', () => {
    spec.given([created]).when({ type: 'DeleteUser', userId: 'u1' }).then([{ type: 'ACCOUNT_SCIM_USER_DELETED', data: { userId: 'u1' } }]);
  });
});
