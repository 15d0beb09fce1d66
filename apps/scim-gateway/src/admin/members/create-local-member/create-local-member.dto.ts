import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateLocalMemberDto {
  @ApiProperty({ example: 'ada@example.com', description: 'Sign-in name; unique in the workspace (case-insensitive)' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  userName!: string;

  @ApiProperty({ example: 'ada@example.com', description: 'Primary email; a SCIM user with this email links to this member' })
  @IsEmail()
  @MaxLength(256)
  email!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  displayName?: string;
}

export class LocalMemberView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  userName!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ enum: ['local'] })
  source!: 'local';
}
