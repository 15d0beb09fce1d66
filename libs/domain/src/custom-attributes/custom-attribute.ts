import { COMMON_ATTRIBUTES, ENTERPRISE_USER_SCHEMA_DEFINITION, USER_SCHEMA_DEFINITION } from '@axis/scim';
import type { DomainEvent } from '../shared/event-metadata';
import type { Decider } from '../shared/decider';

/**
 * A workspace defines custom user attributes (Settings → Identity → SCIM → Custom attributes) that
 * IdP attribute mappings can target; together they are the workspace's SCIM extension schema
 * `urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User`. The definitions of a workspace
 * live in one stream, `customattribute-<workspaceId>.user`, written by the admin API.
 */
export const CUSTOM_ATTRIBUTE_STREAM_CATEGORY = 'customattribute';

export function customAttributeStreamName(workspaceId: string): string {
  return `${CUSTOM_ATTRIBUTE_STREAM_CATEGORY}-${workspaceId}.user`;
}

/** The SCIM types a custom attribute may have (RFC 7643 §2.3 without binary and complex). */
export const CUSTOM_ATTRIBUTE_TYPES = ['string', 'boolean', 'integer', 'decimal', 'dateTime', 'reference'] as const;
export type CustomAttributeType = (typeof CUSTOM_ATTRIBUTE_TYPES)[number];

/** RFC 7643 ATTRNAME, at most 64 characters. */
export const CUSTOM_ATTRIBUTE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const CUSTOM_ATTRIBUTE_LIMITS = { attributes: 100, canonicalValues: 100, canonicalValueLength: 256, descriptionLength: 1024 } as const;

/** What an admin defines; mutability is always readWrite, returned default, uniqueness none. */
export interface CustomAttributeDefinition {
  name: string;
  type: CustomAttributeType;
  multiValued: boolean;
  caseExact: boolean;
  required: boolean;
  /** Suggested values shown to IdPs in /Schemas (RFC 7643 §7); not enforced. */
  canonicalValues: string[];
  description: string;
}

/** A definition and whether it is deprecated (no new values accepted, stored values stay readable). */
export interface CustomAttribute extends CustomAttributeDefinition {
  deprecated: boolean;
}

export interface CustomAttributeAddedData {
  name: string;
  definition: CustomAttributeDefinition;
}

export interface CustomAttributeChangedData {
  name: string;
  /** The fields that changed, e.g. `["type", "description"]`. */
  changedFields: string[];
  definition: CustomAttributeDefinition;
  previous: CustomAttributeDefinition;
}

export interface CustomAttributeNameData {
  name: string;
}

export type CustomAttributeAdded = DomainEvent<'TENANT_CUSTOM_ATTRIBUTE_ADDED', CustomAttributeAddedData>;
export type CustomAttributeChanged = DomainEvent<'TENANT_CUSTOM_ATTRIBUTE_CHANGED', CustomAttributeChangedData>;
export type CustomAttributeDeprecated = DomainEvent<'TENANT_CUSTOM_ATTRIBUTE_DEPRECATED', CustomAttributeNameData>;
export type CustomAttributeRestored = DomainEvent<'TENANT_CUSTOM_ATTRIBUTE_RESTORED', CustomAttributeNameData>;
export type CustomAttributeEvent = CustomAttributeAdded | CustomAttributeChanged | CustomAttributeDeprecated | CustomAttributeRestored;

export const CUSTOM_ATTRIBUTE_EVENT_TYPES: ReadonlyArray<CustomAttributeEvent['type']> = [
  'TENANT_CUSTOM_ATTRIBUTE_ADDED',
  'TENANT_CUSTOM_ATTRIBUTE_CHANGED',
  'TENANT_CUSTOM_ATTRIBUTE_DEPRECATED',
  'TENANT_CUSTOM_ATTRIBUTE_RESTORED',
];

export function isCustomAttributeEvent(event: { type: string }): event is CustomAttributeEvent {
  return (CUSTOM_ATTRIBUTE_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** A definition as an admin sends it: everything but the name and type may be left out. */
export type CustomAttributeInput = Pick<CustomAttributeDefinition, 'name' | 'type'> & Partial<Omit<CustomAttributeDefinition, 'name' | 'type'>>;

export interface AddCustomAttribute {
  type: 'AddCustomAttribute';
  attribute: CustomAttributeInput;
}

/** Changes some fields of a definition (PUT sends them all, PATCH some); the name never changes. */
export interface ChangeCustomAttribute {
  type: 'ChangeCustomAttribute';
  name: string;
  changes: Partial<Omit<CustomAttributeDefinition, 'name'>>;
}

export interface DeprecateCustomAttribute {
  type: 'DeprecateCustomAttribute';
  name: string;
}

export interface RestoreCustomAttribute {
  type: 'RestoreCustomAttribute';
  name: string;
}

export type CustomAttributeCommand = AddCustomAttribute | ChangeCustomAttribute | DeprecateCustomAttribute | RestoreCustomAttribute;

/** The workspace's custom attributes, in the order they were added, by lower-cased name. */
export interface CustomAttributeState {
  attributes: ReadonlyMap<string, CustomAttribute>;
}

export class CustomAttributeRuleViolation extends Error {
  constructor(
    readonly rule: 'invalid' | 'exists' | 'not-found' | 'deprecated' | 'too-many',
    message: string,
  ) {
    super(message);
    this.name = 'CustomAttributeRuleViolation';
  }
}

export const initialCustomAttributeState = (): CustomAttributeState => ({ attributes: new Map() });

/** Names that would shadow (or be shadowed by) the core User or enterprise attributes. */
const RESERVED_NAMES = new Set(
  [...COMMON_ATTRIBUTES, ...USER_SCHEMA_DEFINITION.attributes, ...ENTERPRISE_USER_SCHEMA_DEFINITION.attributes, { name: 'schemas' }].map((attribute) => attribute.name.toLowerCase()),
);

const FIELDS: ReadonlyArray<keyof Omit<CustomAttributeDefinition, 'name'>> = ['type', 'multiValued', 'caseExact', 'required', 'canonicalValues', 'description'];

export function decideCustomAttribute(command: CustomAttributeCommand, state: CustomAttributeState): CustomAttributeEvent[] {
  switch (command.type) {
    case 'AddCustomAttribute': {
      const definition = validDefinition({ multiValued: false, caseExact: false, required: false, canonicalValues: [], description: '', ...command.attribute });
      const existing = state.attributes.get(definition.name.toLowerCase());
      if (existing) {
        throw new CustomAttributeRuleViolation(
          'exists',
          existing.deprecated
            ? `Custom attribute "${existing.name}" exists and is deprecated: restore it instead of adding it again`
            : `Custom attribute "${existing.name}" already exists`,
        );
      }
      if (state.attributes.size >= CUSTOM_ATTRIBUTE_LIMITS.attributes) {
        throw new CustomAttributeRuleViolation('too-many', `A workspace may define at most ${CUSTOM_ATTRIBUTE_LIMITS.attributes} custom attributes`);
      }
      return [{ type: 'TENANT_CUSTOM_ATTRIBUTE_ADDED', data: { name: definition.name, definition } }];
    }
    case 'ChangeCustomAttribute': {
      const current = existing(state, command.name);
      if (current.deprecated) throw new CustomAttributeRuleViolation('deprecated', `Custom attribute "${current.name}" is deprecated: restore it before changing it`);
      const previous = definitionOf(current);
      const definition = validDefinition({ ...previous, ...command.changes, name: previous.name });
      const changedFields = FIELDS.filter((field) => JSON.stringify(definition[field]) !== JSON.stringify(previous[field]));
      if (changedFields.length === 0) return [];
      return [{ type: 'TENANT_CUSTOM_ATTRIBUTE_CHANGED', data: { name: definition.name, changedFields, definition, previous } }];
    }
    case 'DeprecateCustomAttribute': {
      const current = existing(state, command.name);
      return current.deprecated ? [] : [{ type: 'TENANT_CUSTOM_ATTRIBUTE_DEPRECATED', data: { name: current.name } }];
    }
    case 'RestoreCustomAttribute': {
      const current = existing(state, command.name);
      return current.deprecated ? [{ type: 'TENANT_CUSTOM_ATTRIBUTE_RESTORED', data: { name: current.name } }] : [];
    }
    default:
      return assertNever(command);
  }
}

export function evolveCustomAttribute(state: CustomAttributeState, event: CustomAttributeEvent): CustomAttributeState {
  const attributes = new Map(state.attributes);
  const key = event.data.name.toLowerCase();
  switch (event.type) {
    case 'TENANT_CUSTOM_ATTRIBUTE_ADDED':
      attributes.set(key, { ...event.data.definition, deprecated: false });
      break;
    case 'TENANT_CUSTOM_ATTRIBUTE_CHANGED': {
      const current = attributes.get(key);
      attributes.set(key, { ...event.data.definition, deprecated: current?.deprecated ?? false });
      break;
    }
    case 'TENANT_CUSTOM_ATTRIBUTE_DEPRECATED':
    case 'TENANT_CUSTOM_ATTRIBUTE_RESTORED': {
      const current = attributes.get(key);
      if (current) attributes.set(key, { ...current, deprecated: event.type === 'TENANT_CUSTOM_ATTRIBUTE_DEPRECATED' });
      break;
    }
    default:
      return assertNever(event);
  }
  return { attributes };
}

/** The definition without its lifecycle flag. */
export function definitionOf(attribute: CustomAttribute): CustomAttributeDefinition {
  const { deprecated: _deprecated, ...definition } = attribute;
  return definition;
}

/** The attribute named `name` (any case), or not-found. */
export function findCustomAttribute(state: CustomAttributeState, name: string): CustomAttribute | undefined {
  return state.attributes.get(name.toLowerCase());
}

function existing(state: CustomAttributeState, name: string): CustomAttribute {
  const found = findCustomAttribute(state, name);
  if (!found) throw new CustomAttributeRuleViolation('not-found', `Custom attribute "${name}" not found`);
  return found;
}

function validDefinition(candidate: CustomAttributeDefinition): CustomAttributeDefinition {
  const invalid = (message: string) => new CustomAttributeRuleViolation('invalid', message);
  const { name, type, multiValued, caseExact, required, canonicalValues, description } = candidate;
  if (typeof name !== 'string' || !CUSTOM_ATTRIBUTE_NAME_PATTERN.test(name)) {
    throw invalid(`Invalid attribute name ${JSON.stringify(name)}: a letter, then letters, digits, "_" or "-", at most 64 characters`);
  }
  if (RESERVED_NAMES.has(name.toLowerCase())) throw invalid(`"${name}" is a core or enterprise User attribute; choose another name`);
  if (!(CUSTOM_ATTRIBUTE_TYPES as readonly string[]).includes(type)) throw invalid(`Invalid type ${JSON.stringify(type)}: one of ${CUSTOM_ATTRIBUTE_TYPES.join(', ')}`);
  for (const [field, value] of Object.entries({ multiValued, caseExact, required })) {
    if (typeof value !== 'boolean') throw invalid(`"${field}" must be true or false`);
  }
  if (typeof description !== 'string' || description.length > CUSTOM_ATTRIBUTE_LIMITS.descriptionLength) {
    throw invalid(`"description" must be text of at most ${CUSTOM_ATTRIBUTE_LIMITS.descriptionLength} characters`);
  }
  if (!Array.isArray(canonicalValues) || canonicalValues.length > CUSTOM_ATTRIBUTE_LIMITS.canonicalValues) {
    throw invalid(`"canonicalValues" must be a list of at most ${CUSTOM_ATTRIBUTE_LIMITS.canonicalValues} values`);
  }
  if (canonicalValues.length > 0 && type !== 'string' && type !== 'reference') throw invalid('"canonicalValues" apply to string and reference attributes only');
  for (const value of canonicalValues) {
    if (typeof value !== 'string' || value === '' || value.length > CUSTOM_ATTRIBUTE_LIMITS.canonicalValueLength) {
      throw invalid(`Each canonical value must be non-empty text of at most ${CUSTOM_ATTRIBUTE_LIMITS.canonicalValueLength} characters`);
    }
  }
  if (new Set(canonicalValues).size !== canonicalValues.length) throw invalid('"canonicalValues" must not repeat a value');
  return { name, type, multiValued, caseExact, required, canonicalValues: [...canonicalValues], description };
}

function assertNever(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}

export const customAttributeDecider: Decider<CustomAttributeCommand, CustomAttributeEvent, CustomAttributeState> = { decide: decideCustomAttribute, evolve: evolveCustomAttribute, initialState: initialCustomAttributeState };
