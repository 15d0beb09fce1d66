import { ApiProperty } from '@nestjs/swagger';

export enum ScimChecklistStepName {
  token = 'token',
  testConnection = 'testConnection',
  pilotUsers = 'pilotUsers',
  scopeOpened = 'scopeOpened',
}

export class ScimChecklistStep {
  @ApiProperty({ enum: ScimChecklistStepName, enumName: 'ScimChecklistStepName' })
  step!: 'token' | 'testConnection' | 'pilotUsers' | 'scopeOpened';

  @ApiProperty()
  done!: boolean;

  @ApiProperty({ example: '3 SCIM users provisioned', description: 'What the step is judged on, in words' })
  detail!: string;
}

export class ScimConnectionView {
  @ApiProperty({ example: 'https://acme.axissynapse.com/scim/v2', description: 'The SCIM endpoint URL to paste into the IdP' })
  scimBaseUrl!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "Last authenticated SCIM request with one of the workspace's tokens (recorded at most once a minute per token and gateway process)",
  })
  lastRequestAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'entra-2020', description: 'IdP dialect of the newest event or rejection an IdP caused' })
  lastDialect!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'SCIM requests in the last 24 h, from the SCIM request log; null when the log is off (SCIM_REQUEST_LOG=false)' })
  requestsLast24h!: number | null;

  @ApiProperty({ description: 'Refused SCIM requests (audit codes SCIM_*) in the last 24 h' })
  rejectionsLast24h!: number;

  @ApiProperty({ description: 'Members provisioned by SCIM (source scim), active or not' })
  usersProvisioned!: number;

  @ApiProperty({ description: 'Groups provisioned by SCIM' })
  groupsProvisioned!: number;

  @ApiProperty({ description: 'SCIM tokens not revoked' })
  activeTokens!: number;

  @ApiProperty({ type: [ScimChecklistStep], description: "The documentation's pilot checklist, in order, judged from real data" })
  checklist!: ScimChecklistStep[];
}
