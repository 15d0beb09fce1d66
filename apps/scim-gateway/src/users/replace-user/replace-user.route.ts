import { Body, Controller, Headers, Inject, Param, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG } from '@axis/platform';
import { formatETag, USER_SCHEMA, validateSchemas } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import { Principal } from '../../auth/scim-principal.decorator';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { commandContextOf } from '../../write/command-context';
import { ifMatchRevisionOf, projectionOf } from '../shared/user-request';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';
import { RejectionRecorder } from '../../rejections/rejection-recorder';
import type { UserChange } from '../shared/change-user';
import { recordIgnoredWithoutChange } from '../shared/ignored-attributes';
import { toScimUser } from '../shared/user-resource';
import { ReplaceUserCommand } from './replace-user.command';

/** `PUT /Users/{id}`: replace semantics (Okta updates users this way); `active: false` deactivates. */
@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class ReplaceUserRoute {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly workspaceSchemas: WorkspaceSchemas,
    private readonly rejections: RejectionRecorder,
  ) {}

  @Put(':id')
  async replace(
    @Principal() principal: ScimPrincipal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    validateSchemas(body, USER_SCHEMA);
    const change = await this.commandBus.execute<ReplaceUserCommand, UserChange>(
      new ReplaceUserCommand(id, body, ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, body)),
    );
    recordIgnoredWithoutChange(this.rejections, request, principal, change);
    void reply.header('ETag', formatETag(change.user.revision));
    const { reads } = await this.workspaceSchemas.forWorkspace(principal.workspaceId);
    return toScimUser(change.user, scimBaseUrl(this.config, principal.endpoint), projectionOf(query), reads);
  }
}
