import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches } from 'class-validator';
import { MAX_ROLES_PER_GROUP, ROLE_NAME_PATTERN } from '@axis/domain';

export class SetRoleMappingDto {
  @ApiProperty({ type: [String], example: ['admin'], description: `Product roles the group grants (replaces the previous list; [] removes the mapping)` })
  @IsArray()
  @ArrayMaxSize(MAX_ROLES_PER_GROUP)
  @IsString({ each: true })
  @Matches(ROLE_NAME_PATTERN, { each: true, message: `each role must match ${ROLE_NAME_PATTERN.source}` })
  roles!: string[];
}

export class RoleMappingView {
  @ApiProperty({ example: '7d0c6c55-0a4f-4f54-9d36-2b1c1a8f7d11' })
  groupId!: string;

  @ApiProperty({ nullable: true, type: String, example: 'Platform admins' })
  displayName!: string | null;

  @ApiProperty({ type: [String], example: ['admin'] })
  roles!: string[];

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ example: 'admin:adm_3f9a' })
  updatedBy!: string;
}

export class RoleMappingList {
  @ApiProperty({ type: [RoleMappingView] })
  items!: RoleMappingView[];
}

export class SetRoleMappingResult {
  @ApiProperty()
  groupId!: string;

  @ApiProperty({ type: [String] })
  roles!: string[];

  @ApiProperty({ type: [String] })
  previousRoles!: string[];
}

export class MemberRolesView {
  @ApiProperty()
  memberId!: string;

  @ApiProperty({ type: [String], example: ['admin', 'member'], description: 'Effective roles: the union of the roles of its groups' })
  roles!: string[];

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When they last changed' })
  updatedAt!: string | null;
}
