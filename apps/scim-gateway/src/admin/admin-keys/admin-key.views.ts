import { ApiProperty } from '@nestjs/swagger';

export class AdminKeyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'adm_AbCd1234', description: 'The first characters of the key; actions are recorded as admin:<prefix>' })
  prefix!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Alice Martin', description: 'Names the admin who holds the key' })
  description!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ example: 'admin:adm_AbCd1234', description: 'Who created it (`operator` for the CLI)' })
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated at most once a minute' })
  lastUsedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;

  @ApiProperty({ enum: ['active', 'revoked'] })
  state!: 'active' | 'revoked';
}

export class AdminKeyList {
  @ApiProperty({ type: [AdminKeyView] })
  items!: AdminKeyView[];
}

/** The one response that ever contains the key. */
export class CreatedAdminKey {
  @ApiProperty({ example: 'adm_…', description: 'The admin API key. Shown once: no API ever returns it again' })
  key!: string;

  @ApiProperty({ type: AdminKeyView })
  adminKey!: AdminKeyView;
}
