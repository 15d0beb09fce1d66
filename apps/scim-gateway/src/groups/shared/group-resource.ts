import type { ExistingGroup } from '@axis/domain';
import type { GroupMemberRow, GroupRow } from '@axis/read-model';
import { formatETag, GROUP_SCHEMA, projectResource, type ProjectionRequest, resourceLocation } from '@axis/scim';
import { groupSchema } from './group-schema';

export interface GroupView {
  id: string;
  displayName: string;
  externalId: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export function groupLocation(baseUrl: string, id: string): string {
  return resourceLocation(baseUrl, 'Groups', id);
}

export function groupViewOfRow(row: GroupRow): GroupView {
  return row;
}

export function groupViewOfState(group: ExistingGroup, decision: { revision: number; createdAt: string; lastModified: string }): GroupView {
  return {
    id: group.groupId,
    displayName: group.displayName,
    externalId: group.externalId,
    revision: decision.revision,
    createdAt: decision.createdAt,
    updatedAt: decision.lastModified,
  };
}

/**
 * Whether a response projected by `projection` shows members: not when they are excluded
 * (`excludedAttributes=members`, Entra's every GET) or when `attributes` names other attributes
 * only. Then members are not even read, however large the group.
 */
export function wantsMembers(projection: ProjectionRequest): boolean {
  const names = (value: ProjectionRequest['attributes']) =>
    (typeof value === 'string' ? value.split(',') : (value ?? [])).map((name) => name.trim().toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:group:/, ''));
  const isMembers = (name: string) => name === 'members' || name.startsWith('members.') || name.startsWith('members[');
  if (projection.attributes !== undefined && names(projection.attributes).filter((name) => name !== '').length > 0) {
    return names(projection.attributes).some(isMembers);
  }
  return !names(projection.excludedAttributes).some((name) => name === 'members');
}

/** A stored group as the SCIM Group resource (RFC 7643 §4.2); members omitted when not read. */
export function toScimGroup(
  group: GroupView,
  members: readonly GroupMemberRow[] | undefined,
  baseUrl: string,
  projection: ProjectionRequest = {},
): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.externalId === null ? {} : { externalId: group.externalId }),
    displayName: group.displayName,
    ...(members === undefined
      ? {}
      : {
          members: members.map((member) => ({
            value: member.id,
            ...(member.display === null ? {} : { display: member.display }),
            $ref: resourceLocation(baseUrl, 'Users', member.id),
            type: 'User',
          })),
        }),
    meta: {
      resourceType: 'Group',
      created: group.createdAt,
      lastModified: group.updatedAt,
      location: groupLocation(baseUrl, group.id),
      version: formatETag(group.revision),
    },
  };
  return projection.attributes === undefined && projection.excludedAttributes === undefined
    ? resource
    : projectResource(resource, groupSchema, projection);
}
