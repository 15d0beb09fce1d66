import { Body, Controller, Get, Inject, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { type ScimSettings, scimSettingsOf, scimSettingsStreamName } from '@axis/domain';
import { EVENT_STORE, type EventStore, newEventId } from '@axis/event-store';
import { IsBoolean } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { Admin, AdminApi } from '../auth/admin.decorators';
import type { AdminPrincipal } from '../auth/admin-key.guard';

export class ScimSettingsDto implements ScimSettings {
  @ApiProperty({ description: 'Link a SCIM user to the local account with the same email on first sync', default: true })
  @IsBoolean()
  autoMergeLocalAccounts!: boolean;
}

/** Settings → Identity → SCIM: provisioning behaviour of the workspace. Each change is an event. */
@Controller('api/v1/workspaces/:slug/scim-settings')
@AdminApi('SCIM settings')
export class ScimSettingsRoute {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  @Get()
  @ApiOkResponse({ type: ScimSettingsDto })
  async get(@Admin() admin: AdminPrincipal): Promise<ScimSettings> {
    return scimSettingsOf(await this.eventStore.readStream(scimSettingsStreamName(admin.workspaceId)));
  }

  @Put()
  @ApiOperation({ summary: 'Change the SCIM settings' })
  @ApiOkResponse({ type: ScimSettingsDto })
  async put(@Admin() admin: AdminPrincipal, @Body() body: ScimSettingsDto, @Req() request: FastifyRequest): Promise<ScimSettings> {
    const eventId = newEventId();
    const settings: ScimSettings = { autoMergeLocalAccounts: body.autoMergeLocalAccounts };
    // Each event carries the whole settings, so concurrent admins need no expected revision: last write wins.
    await this.eventStore.appendToStream(scimSettingsStreamName(admin.workspaceId), [
      {
        eventId,
        type: 'TENANT_SCIM_SETTINGS_CHANGED',
        data: { ...settings },
        metadata: {
          eventId,
          workspaceId: admin.workspaceId,
          actor: admin.actor,
          requestId: String(request.id),
          correlationId: String(request.id),
          causationId: String(request.id),
          occurredAt: new Date().toISOString(),
          dialect: 'admin',
          schemaVersion: 1,
        },
      },
    ]);
    return settings;
  }
}
