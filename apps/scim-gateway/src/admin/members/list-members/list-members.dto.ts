import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MemberSource, MemberView } from '../member.views';

export enum MemberState {
  active = 'active',
  deactivated = 'deactivated',
}

export enum MemberSort {
  createdAt = 'createdAt',
  userName = 'userName',
  displayName = 'displayName',
  email = 'email',
}

export enum SortOrder {
  asc = 'asc',
  desc = 'desc',
}

export class ListMembersQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of userName, an email or displayName', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: MemberSource, enumName: 'MemberSource', description: 'Only SCIM users or only local accounts' })
  @IsOptional()
  @IsEnum(MemberSource)
  source?: MemberSource;

  @ApiPropertyOptional({ enum: MemberState, enumName: 'MemberState' })
  @IsOptional()
  @IsEnum(MemberState)
  state?: MemberState;

  @ApiPropertyOptional({ enum: MemberSort, enumName: 'MemberSort', default: MemberSort.createdAt, description: 'Ties are broken by id' })
  @IsOptional()
  @IsEnum(MemberSort)
  sort?: MemberSort;

  @ApiPropertyOptional({ enum: SortOrder, enumName: 'SortOrder', default: SortOrder.asc })
  @IsOptional()
  @IsEnum(SortOrder)
  order?: SortOrder;

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

export { MemberView };

export class MemberPage {
  @ApiProperty({ type: [MemberView] })
  items!: MemberView[];

  @ApiProperty({ description: 'Members matching q, source and state; with totalIsLowerBound, how many a search counted before it stopped' })
  total!: number;

  @ApiProperty({ description: 'More members match than total: a search (q) stops counting at 1,000 matches, or at the end of the page asked for when it lies further' })
  totalIsLowerBound!: boolean;

  @ApiProperty()
  offset!: number;

  @ApiProperty()
  limit!: number;
}
