import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateAdminKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Alice Martin', description: 'Names the admin who will hold the key: the console shows it, and it labels the key list' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'description must not contain control characters' })
  @Matches(/\S/, { message: 'description must not be blank' })
  description!: string;
}
