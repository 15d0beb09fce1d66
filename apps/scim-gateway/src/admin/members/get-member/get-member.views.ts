import { ApiProperty } from '@nestjs/swagger';
import { MemberView } from '../member.views';

export class MemberSessionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ses_AbCd1234', description: 'The first characters of the session token' })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class MemberDetailView extends MemberView {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The SCIM resource as stored (without id and meta), enterprise and custom extension attributes included',
  })
  resource!: Record<string, unknown>;

  @ApiProperty({ type: [MemberSessionView], description: 'Live sessions only, newest first' })
  sessions!: MemberSessionView[];
}
