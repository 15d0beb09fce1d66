import { ApiProperty } from '@nestjs/swagger';

export class SessionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  memberId!: string;

  @ApiProperty({ example: 'ses_AbCd1234' })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'ACCOUNT_SCIM_USER_DEACTIVATED' })
  revokedReason!: string | null;
}

export class SessionList {
  @ApiProperty({ type: [SessionView] })
  items!: SessionView[];
}

export class CreatedSession {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  workspaceId!: string;

  @ApiProperty()
  memberId!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'The session token (`ses_…`); only its SHA-256 is stored' })
  token!: string;
}

export class SessionMember {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  userName!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;
}

export class IntrospectedSessionView {
  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({ format: 'uuid' })
  sessionId!: string;

  @ApiProperty()
  workspaceId!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: SessionMember })
  member!: SessionMember;
}
