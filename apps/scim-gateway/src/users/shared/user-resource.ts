import { USER_SCHEMA } from '@axis/scim';

export interface UserView {
  id: string;
  attributes: Record<string, unknown>;
  active: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export function userETag(revision: number): string {
  return `W/"${revision}"`;
}

export function userLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Users/${id}`;
}

/** A stored user as the SCIM User resource (RFC 7643 §4.1). */
export function toScimUser(user: UserView, baseUrl: string): Record<string, unknown> {
  const { schemas: _schemas, id: _id, meta: _meta, ...attributes } = user.attributes;
  const extensionSchemas = Object.keys(attributes).filter((key) => key.toLowerCase().startsWith('urn:'));
  return {
    schemas: [USER_SCHEMA, ...extensionSchemas],
    id: user.id,
    ...attributes,
    active: user.active,
    meta: {
      resourceType: 'User',
      created: user.createdAt,
      lastModified: user.updatedAt,
      location: userLocation(baseUrl, user.id),
      version: userETag(user.revision),
    },
  };
}
