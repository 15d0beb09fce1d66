import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ScimSettings } from '@axis/domain';
import { IsBoolean, IsOptional } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { WorkspaceScimSettings } from '../../scim-settings/workspace-scim-settings';
import { Admin, AdminApi } from '../auth/admin.decorators';
import { type AdminPrincipal, adminWriteContext } from '../auth/admin-key.guard';

const AUTO_MERGE = 'Link a SCIM user to the local account with the same email on first sync; off: such a create is 409 SCIM_USER_CONFLICT until an admin merges';
const REJECT_UNKNOWN =
  'Refuse a SCIM POST, PUT or PATCH of a user or group that names an attribute no schema of the workspace defines (400 invalidPath, SCIM_INVALID_PATH, nothing stored); ' +
  'off: such attributes are ignored and listed in the Security Console';

/** The workspace's SCIM settings: every setting, always. */
export class ScimSettingsDto implements ScimSettings {
  @ApiProperty({ description: AUTO_MERGE, default: true })
  autoMergeLocalAccounts!: boolean;

  @ApiProperty({ description: REJECT_UNKNOWN, default: false })
  rejectUnknownAttributes!: boolean;
}

/** A change of the SCIM settings: each setting is optional, and one left out keeps its current value. */
export class ChangeScimSettingsDto implements Partial<ScimSettings> {
  @ApiPropertyOptional({ description: `${AUTO_MERGE}. Left out: unchanged.` })
  @IsOptional()
  @IsBoolean()
  autoMergeLocalAccounts?: boolean;

  @ApiPropertyOptional({ description: `${REJECT_UNKNOWN}. Left out: unchanged (clients written before this setting keep working).` })
  @IsOptional()
  @IsBoolean()
  rejectUnknownAttributes?: boolean;
}

/** Settings → Identity → SCIM: provisioning behaviour of the workspace. Each change is an event. */
@Controller('api/v1/workspaces/:slug/scim-settings')
@AdminApi('SCIM settings')
export class ScimSettingsRoute {
  constructor(private readonly settings: WorkspaceScimSettings) {}

  @Get()
  @ApiOkResponse({ type: ScimSettingsDto })
  get(@Admin() admin: AdminPrincipal): Promise<ScimSettings> {
    return this.settings.current(admin.workspaceId);
  }

  @Put()
  @ApiOperation({
    summary: 'Change the SCIM settings',
    description: 'Settings left out of the body keep their current value; the answer holds every setting. A change that changes nothing records nothing.',
  })
  @ApiOkResponse({ type: ScimSettingsDto })
  put(@Admin() admin: AdminPrincipal, @Body() body: ChangeScimSettingsDto, @Req() request: FastifyRequest): Promise<ScimSettings> {
    const context = adminWriteContext(admin, String(request.id));
    // The validation pipe let through only the settings above, as booleans; the decider changes those named.
    return this.settings.change({ ...body }, context);
  }
}
