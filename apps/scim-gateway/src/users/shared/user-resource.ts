import type { ExistingUser } from '@axis/domain';
import type { MemberRow } from '@axis/read-model';
import { formatETag, projectResource, type ProjectionRequest, resourceLocation, type ResourceSchema, USER_SCHEMA } from '@axis/scim';
import { userSchema } from './user-schema';

export interface UserView {
  id: string;
  attributes: Record<string, unknown>;
  active: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
  /** Groups the user is in (readOnly `groups`, from the group projection); absent when not read. */
  groups?: ReadonlyArray<{ id: string; displayName: string }>;
}

export function userLocation(baseUrl: string, id: string): string {
  return resourceLocation(baseUrl, 'Users', id);
}

export function userViewOfRow(row: MemberRow): UserView {
  return {
    id: row.id,
    attributes: row.resource,
    active: row.active,
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(row.groups ? { groups: row.groups } : {}),
  };
}

export function userViewOfState(
  user: ExistingUser,
  decision: { revision: number; createdAt: string; lastModified: string },
): UserView {
  return {
    id: user.userId,
    attributes: user.attributes,
    active: user.status === 'active',
    revision: decision.revision,
    createdAt: decision.createdAt,
    updatedAt: decision.lastModified,
  };
}

/**
 * A stored user as the SCIM User resource (RFC 7643 §4.1), projected per attributes/excludedAttributes
 * against `schema` (the workspace's, so its custom attributes can be selected or excluded).
 */
export function toScimUser(user: UserView, baseUrl: string, projection: ProjectionRequest = {}, schema: ResourceSchema = userSchema): Record<string, unknown> {
  const { schemas: _schemas, id: _id, meta: _meta, active: _active, ...attributes } = user.attributes;
  const extensionSchemas = Object.keys(attributes).filter((key) => key.toLowerCase().startsWith('urn:'));
  const resource = {
    schemas: [USER_SCHEMA, ...extensionSchemas],
    id: user.id,
    ...attributes,
    active: user.active,
    ...(user.groups && user.groups.length > 0
      ? { groups: user.groups.map((group) => ({ value: group.id, display: group.displayName, $ref: resourceLocation(baseUrl, 'Groups', group.id), type: 'direct' })) }
      : {}),
    meta: {
      resourceType: 'User',
      created: user.createdAt,
      lastModified: user.updatedAt,
      location: userLocation(baseUrl, user.id),
      version: formatETag(user.revision),
    },
  };
  return projection.attributes === undefined && projection.excludedAttributes === undefined
    ? resource
    : projectResource(resource, schema, projection);
}
