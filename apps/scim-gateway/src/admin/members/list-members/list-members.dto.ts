import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListMembersQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of userName, an email or displayName', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
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

  @ApiProperty({ enum: ['scim', 'local'] })
  source!: 'scim' | 'local';

  @ApiProperty({ description: 'Shown as the SCIM badge: the member is provisioned by the IdP' })
  scimBadge!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the IdP last changed this member' })
  lastScimChangeAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class MemberPage {
  @ApiProperty({ type: [MemberView] })
  items!: MemberView[];

  @ApiProperty({ description: 'Members matching q' })
  total!: number;

  @ApiProperty()
  offset!: number;

  @ApiProperty()
  limit!: number;
}
