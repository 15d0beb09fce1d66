import { ApiProperty } from '@nestjs/swagger';

export class ScimTokenView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'scim_AbCd1234', description: 'The first characters of the token, to tell tokens apart' })
  prefix!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Entra ID production' })
  description!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ example: 'admin:adm_AbCd1234', description: 'Who created it' })
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated at most once a minute' })
  lastUsedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  revokedBy!: string | null;
}

export class ScimTokenList {
  @ApiProperty({ type: [ScimTokenView] })
  items!: ScimTokenView[];
}

/** The one response that ever contains the token. */
export class CreatedScimToken {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'scim_AbCd1234' })
  prefix!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ example: 'admin:adm_AbCd1234' })
  createdBy!: string;

  @ApiProperty({ example: 'https://acme.axissynapse.com/scim/v2', description: "The workspace's SCIM endpoint URL (Tenant URL / Base URL)" })
  scimEndpointUrl!: string;

  @ApiProperty({ description: 'The bearer token. Shown once: no API ever returns it again' })
  token!: string;
}
