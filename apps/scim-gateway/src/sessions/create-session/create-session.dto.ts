import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateSessionDto {
  @ApiProperty({ description: 'The member (SCIM User id) signing in' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  memberId!: string;
}
