import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class MemberHistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[0-9]{1,10}$/, { message: 'before must be a nextCursor of this route' })
  before?: string;
}

export class MemberHistoryItem {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'ACCOUNT_SCIM_USER_DEACTIVATED', description: 'The event type, as the Security Console names it' })
  type!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ example: 'token:scim_AbCd1234', description: '`token:<prefix>` (an IdP), `admin:<prefix>`, `operator`, `system` …' })
  actor!: string;

  @ApiProperty({ type: String, nullable: true, description: "The admin key's or SCIM token's description, when it has one" })
  actorName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'entra-2020', description: 'IdP dialect of the request (admin, system for others)' })
  dialect!: string | null;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ example: 'Deactivated by the IdP (Entra ID)' })
  summary!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Attributes set by a create or merge, new values of the changed attributes of an update (null: removed); null otherwise',
  })
  changes!: Record<string, unknown> | null;
}

export class MemberHistoryPage {
  @ApiProperty({ type: [MemberHistoryItem], description: 'Newest first' })
  items!: MemberHistoryItem[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `before` for older events; null on the oldest page' })
  nextCursor!: string | null;
}
