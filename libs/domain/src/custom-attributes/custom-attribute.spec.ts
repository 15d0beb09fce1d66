import { AXIS_USER_EXTENSION_SCHEMA, buildSchemasDocument, PATCH_OP_SCHEMA, USER_SCHEMA, normalizePatchRequest } from '@axis/scim';
import { deciderSpecification } from '../testing/decider-specification';
import { decideUserWithReport, evolveUser, initialUserState } from '../users/user.decider';
import type { UserEvent } from '../users/user.events';
import { type CustomAttributeDefinition, type CustomAttributeEvent, CustomAttributeRuleViolation, evolveCustomAttribute, initialCustomAttributeState, customAttributeDecider } from './custom-attribute';
import { DEPRECATED_DESCRIPTION_PREFIX, satisfiesDefinition, workspaceUserSchemas } from './custom-attribute-schema';

const spec = deciderSpecification(customAttributeDecider);
const X = AXIS_USER_EXTENSION_SCHEMA;

const costCode: CustomAttributeDefinition = { name: 'costCode', type: 'string', multiValued: false, caseExact: false, required: false, canonicalValues: [], description: '' };
const added = (definition: CustomAttributeDefinition): CustomAttributeEvent => ({ type: 'TENANT_CUSTOM_ATTRIBUTE_ADDED', data: { name: definition.name, definition } });
const deprecated = (name: string): CustomAttributeEvent => ({ type: 'TENANT_CUSTOM_ATTRIBUTE_DEPRECATED', data: { name } });

function violation(rule: CustomAttributeRuleViolation['rule'], message?: RegExp) {
  return (error: Error) => {
    expect((error as CustomAttributeRuleViolation).rule).toBe(rule);
    if (message) expect(error.message).toMatch(message);
  };
}

describe('custom attribute decider', () => {
  it('adds a definition with RFC defaults for what the admin left out', () => {
    spec.given([]).when({ type: 'AddCustomAttribute', attribute: { name: 'costCode', type: 'string' } }).then([added(costCode)]);
  });

  it('refuses a second attribute of the same name (any case), a deprecated one included', () => {
    spec.given([added(costCode)]).when({ type: 'AddCustomAttribute', attribute: { name: 'COSTCODE', type: 'integer' } }).thenThrows(CustomAttributeRuleViolation, violation('exists'));
    spec.given([added(costCode), deprecated('costCode')]).when({ type: 'AddCustomAttribute', attribute: { name: 'costCode', type: 'string' } }).thenThrows(CustomAttributeRuleViolation, violation('exists', /restore/));
  });

  it.each([
    [{ name: '1st', type: 'string' }, /Invalid attribute name/],
    [{ name: 'cost code', type: 'string' }, /Invalid attribute name/],
    [{ name: 'x'.repeat(65), type: 'string' }, /Invalid attribute name/],
    [{ name: 'userName', type: 'string' }, /core or enterprise/],
    [{ name: 'Department', type: 'string' }, /core or enterprise/],
    [{ name: 'blob', type: 'binary' }, /Invalid type/],
    [{ name: 'address', type: 'complex' }, /Invalid type/],
    [{ name: 'level', type: 'integer', canonicalValues: ['1'] }, /string and reference/],
    [{ name: 'region', type: 'string', canonicalValues: ['EU', 'EU'] }, /repeat/],
    [{ name: 'region', type: 'string', multiValued: 'yes' }, /multiValued/],
  ])('refuses the invalid definition %j', (attribute, message) => {
    spec.given([]).when({ type: 'AddCustomAttribute', attribute: attribute as never }).thenThrows(CustomAttributeRuleViolation, violation('invalid', message));
  });

  it('changes fields, naming them and the previous definition; the same definition changes nothing', () => {
    const seats = { ...costCode, type: 'integer' as const, description: 'Licensed seats' };
    spec.given([added(costCode)]).when({ type: 'ChangeCustomAttribute', name: 'COSTCODE', changes: { type: 'integer', description: 'Licensed seats' } }).then([
      { type: 'TENANT_CUSTOM_ATTRIBUTE_CHANGED', data: { name: 'costCode', changedFields: ['type', 'description'], definition: seats, previous: costCode } },
    ]);
    spec.given([added(costCode)]).when({ type: 'ChangeCustomAttribute', name: 'costCode', changes: { type: 'string', canonicalValues: [] } }).thenNothingHappens();
    spec.given([]).when({ type: 'ChangeCustomAttribute', name: 'costCode', changes: {} }).thenThrows(CustomAttributeRuleViolation, violation('not-found'));
    spec.given([added(costCode), deprecated('costCode')]).when({ type: 'ChangeCustomAttribute', name: 'costCode', changes: { caseExact: true } }).thenThrows(CustomAttributeRuleViolation, violation('deprecated'));
  });

  it('deprecates and restores, each once', () => {
    spec.given([added(costCode)]).when({ type: 'DeprecateCustomAttribute', name: 'costcode' }).then([deprecated('costCode')]);
    spec.given([added(costCode), deprecated('costCode')]).when({ type: 'DeprecateCustomAttribute', name: 'costCode' }).thenNothingHappens();
    spec.given([added(costCode), deprecated('costCode')]).when({ type: 'RestoreCustomAttribute', name: 'costCode' }).then([{ type: 'TENANT_CUSTOM_ATTRIBUTE_RESTORED', data: { name: 'costCode' } }]);
    spec.given([added(costCode)]).when({ type: 'RestoreCustomAttribute', name: 'costCode' }).thenNothingHappens();
  });
});

describe('workspace user schemas', () => {
  const state = (events: CustomAttributeEvent[]) => events.reduce(evolveCustomAttribute, initialCustomAttributeState()).attributes.values();

  it('without definitions: the defaults, no extension', () => {
    const schemas = workspaceUserSchemas([]);
    expect(schemas.registry.getSchema(X)).toBeUndefined();
    expect(schemas.reads.findExtension(X)).toBeUndefined();
  });

  it('lists active attributes as readWrite and deprecated ones as readOnly; writes know only the active ones', () => {
    const region = { ...costCode, name: 'region', canonicalValues: ['EU', 'US'], required: true, description: 'Where they work' };
    const schemas = workspaceUserSchemas(state([added(costCode), added(region), deprecated('region')]));
    const document = buildSchemasDocument(schemas.registry, 'https://x/scim/v2') as { Resources: Array<{ id: string; attributes: Array<Record<string, unknown>> }> };
    const extension = document.Resources.find((schema) => schema.id === X)!;
    expect(extension.attributes).toEqual([
      expect.objectContaining({ name: 'costCode', type: 'string', mutability: 'readWrite', required: false }),
      expect.objectContaining({ name: 'region', mutability: 'readOnly', required: false, canonicalValues: ['EU', 'US'], description: `${DEPRECATED_DESCRIPTION_PREFIX} Where they work` }),
    ]);
    expect(schemas.reads.resolve(`${X}:region`)).toBeDefined();
    expect(schemas.writes.resolve(`${X}:region`)).toBeUndefined();
    expect(schemas.writes.resolve(`${X}:costCode`)).toBeDefined();
  });

  it('a changed type is satisfied only by values already of that type, as stored', () => {
    const integer = { ...costCode, type: 'integer' as const };
    expect([satisfiesDefinition(integer, 3), satisfiesDefinition(integer, '3'), satisfiesDefinition({ ...integer, multiValued: true }, 3)]).toEqual([true, false, false]);
  });
});

describe('user decider with custom attributes', () => {
  const userSpec = deciderSpecification({ decide: (command: Parameters<typeof decideUserWithReport>[0], state: Parameters<typeof decideUserWithReport>[1]) => decideUserWithReport(command, state).events, evolve: evolveUser, initialState: initialUserState });
  const region = { ...costCode, name: 'region' };
  const active = workspaceUserSchemas(state([added(costCode), added(region)]));
  const regionDeprecated = workspaceUserSchemas(state([added(costCode), added(region), deprecated('region')]));
  const created: UserEvent = {
    type: 'ACCOUNT_SCIM_USER_CREATED',
    data: { userId: 'u1', userName: 'ada', externalId: null, active: true, attributes: { userName: 'ada', [X]: { costCode: 'A', region: 'EU' } } },
  };
  const patch = (...Operations: unknown[]) => ({ type: 'PatchUser' as const, userId: 'u1', schema: regionDeprecated.writes, operations: normalizePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }) });

  function state(events: CustomAttributeEvent[]) {
    return events.reduce(evolveCustomAttribute, initialCustomAttributeState()).attributes.values();
  }

  it('a deprecated attribute is ignored and listed, and its stored value stays (PATCH and PUT)', () => {
    userSpec.given([created]).when(patch({ op: 'replace', path: `${X}:region`, value: 'US' }, { op: 'replace', path: `${X}:costCode`, value: 'B' })).then([
      { type: 'ACCOUNT_SCIM_USER_UPDATED', data: { userId: 'u1', changedAttributes: [X], changes: { [X]: { costCode: 'B', region: 'EU' } }, ignoredAttributes: [`${X}:region`] } },
    ]);
    userSpec.given([created]).when(patch({ op: 'remove', path: X })).then([
      { type: 'ACCOUNT_SCIM_USER_UPDATED', data: { userId: 'u1', changedAttributes: [X], changes: { [X]: { region: 'EU' } } } },
    ]);
    userSpec.given([created]).when({ type: 'ReplaceUser', userId: 'u1', schema: regionDeprecated.writes, resource: { schemas: [USER_SCHEMA], userName: 'ada' } }).then([
      { type: 'ACCOUNT_SCIM_USER_UPDATED', data: { userId: 'u1', changedAttributes: [X], changes: { [X]: { region: 'EU' } } } },
    ]);
  });

  it('an operation that changes nothing reports what it ignored without an event', () => {
    const user = [created].reduce(evolveUser, initialUserState());
    const decision = decideUserWithReport(patch({ op: 'add', path: `${X}:costCentre`, value: 'x' }, { op: 'replace', value: { shoeSize: 42 } }), user);
    expect(decision).toEqual({ events: [], ignoredAttributes: [`${X}:costCentre`, 'shoeSize'] });
  });

  it('the ignored list rides on the first event (DEACTIVATED when nothing else changed) and is capped at 50', () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`unknown${i}`, 'x']));
    const decision = decideUserWithReport({ type: 'PatchUser', userId: 'u1', schema: active.writes, operations: normalizePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', value: { active: false, ...many } }] }) }, [created].reduce(evolveUser, initialUserState()));
    expect(decision.events).toEqual([{ type: 'ACCOUNT_SCIM_USER_DEACTIVATED', data: { userId: 'u1', ignoredAttributes: Object.keys(many).slice(0, 50) } }]);
  });

  it('a create carries its ignored attributes; none, no field', () => {
    const create = { type: 'CreateUser' as const, userId: 'u1', userName: 'ada', externalId: null, active: true, attributes: { userName: 'ada' } };
    userSpec.given([]).when({ ...create, ignoredAttributes: ['shoeSize'] }).then([
      { type: 'ACCOUNT_SCIM_USER_CREATED', data: { userId: 'u1', userName: 'ada', externalId: null, active: true, attributes: { userName: 'ada' }, ignoredAttributes: ['shoeSize'] } },
    ]);
    expect(decideUserWithReport(create, initialUserState()).events[0]!.data).not.toHaveProperty('ignoredAttributes');
  });
});
