import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class ListScimRequestsQuery {
  @ApiPropertyOptional({ description: 'Comma-separated classes or codes, OR-ed: 2xx, 4xx, 5xx, 401, 409…', example: '4xx' })
  @IsOptional()
  @Matches(/^[1-5](xx|\d\d)(,[1-5](xx|\d\d))*$/, { message: 'status must be comma-separated status classes (4xx) or codes (401)' })
  status?: string;

  @ApiPropertyOptional({ description: 'A SCIM user or group id, or a userName (case-insensitive)', maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;

  @ApiPropertyOptional({ description: 'e.g. users.create, users.patch, users.list, groups.patch', example: 'users.create' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{1,40}\.[a-z]{1,20}$/, { message: 'operation must look like users.create' })
  operation?: string;

  @ApiPropertyOptional({ description: 'Inclusive, ISO 8601', format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Exclusive, ISO 8601', format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ description: "A request's X-Request-Id (an audit entry's requestId)", maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  requestId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
