import { ApiProperty } from '@nestjs/swagger';
import type { MemberDirectoryEntry } from '@axis/read-model';

export enum MemberSource {
  scim = 'scim',
  local = 'local',
}

export class MemberGroupView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  displayName!: string;
}

export class MemberView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  userName!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Primary email, else the first one' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The IdP's stable identifier" })
  externalId!: string | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ enum: MemberSource, enumName: 'MemberSource' })
  source!: 'scim' | 'local';

  @ApiProperty({ description: 'Shown as the SCIM badge: the member is provisioned by the IdP' })
  scimBadge!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the IdP last changed this member' })
  lastScimChangeAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: [MemberGroupView], description: 'Groups the member belongs to, by display name' })
  groups!: MemberGroupView[];

  @ApiProperty({ type: [String], description: "Effective roles, from the workspace's group → role mappings" })
  roles!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Id of a member of the other source (a local account for a SCIM user, a SCIM user for a local account) with one of ' +
      "this member's emails, case-insensitive. Merge: POST …/members/{id of the local one}/merge (see GET …/members/duplicates)",
  })
  possibleDuplicateOf!: string | null;
}

export function toMemberView(member: MemberDirectoryEntry): MemberView {
  return {
    id: member.id,
    userName: member.userName,
    displayName: member.displayName,
    email: member.email,
    externalId: member.externalId,
    active: member.active,
    source: member.source,
    scimBadge: member.source === 'scim',
    // Every change of a SCIM-sourced member comes from the IdP, so its last update is the last SCIM change.
    lastScimChangeAt: member.source === 'scim' ? member.updatedAt : null,
    createdAt: member.createdAt,
    groups: member.groups.map((group) => ({ id: group.id, displayName: group.displayName })),
    roles: member.roles,
    possibleDuplicateOf: member.possibleDuplicateOf,
  };
}
