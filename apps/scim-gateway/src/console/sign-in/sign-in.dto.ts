import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class SignInDto {
  @ApiProperty({ example: 'acme', description: 'The workspace slug' })
  @IsString()
  @MaxLength(63)
  workspace!: string;

  @ApiProperty({ example: 'adm_…', description: "An admin API key of the workspace; exchanged for the session cookie and never stored by the console" })
  @IsString()
  @MaxLength(100)
  adminKey!: string;
}
