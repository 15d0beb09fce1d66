import { Body, Controller, Headers, Inject, Param, Patch, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG } from '@axis/platform';
import { formatETag } from '@axis/scim';
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
import { PatchUserCommand } from './patch-user.command';

/**
 * `PATCH /Users/{id}` answers 200 with the resource (RFC 7644 §3.5.2 allows 204; Entra and Okta
 * both read the body), honouring attributes/excludedAttributes. A no-op PATCH appends nothing.
 */
@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class PatchUserRoute {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly workspaceSchemas: WorkspaceSchemas,
    private readonly rejections: RejectionRecorder,
  ) {}

  @Patch(':id')
  async patch(
    @Principal() principal: ScimPrincipal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const change = await this.commandBus.execute<PatchUserCommand, UserChange>(
      new PatchUserCommand(id, body, ifMatchRevisionOf(ifMatch), commandContextOf(principal, request, body)),
    );
    recordIgnoredWithoutChange(this.rejections, request, principal, change);
    void reply.header('ETag', formatETag(change.user.revision));
    const { reads } = await this.workspaceSchemas.forWorkspace(principal.workspaceId);
    return toScimUser(change.user, scimBaseUrl(this.config, principal.endpoint), projectionOf(query), reads);
  }
}
