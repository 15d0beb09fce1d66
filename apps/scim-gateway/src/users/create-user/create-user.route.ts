import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG } from '@axis/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Principal } from '../../auth/scim-principal.decorator';
import { ScimBearerGuard, type ScimPrincipal } from '../../auth/scim-bearer.guard';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { commandContextOf } from '../../write/command-context';
import { formatETag } from '@axis/scim';
import { toScimUser, userLocation, type UserView } from '../shared/user-resource';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';
import { WorkspaceScimSettings } from '../../scim-settings/workspace-scim-settings';
import { CreateUserCommand } from './create-user.command';
import { normaliseNewUser } from './create-user.normaliser';

@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class CreateUserRoute {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly workspaceSchemas: WorkspaceSchemas,
    private readonly scimSettings: WorkspaceScimSettings,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @Body() body: unknown,
    @Principal() principal: ScimPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const [{ writes }, unknownAttributes] = await Promise.all([
      this.workspaceSchemas.forWorkspace(principal.workspaceId),
      this.scimSettings.unknownAttributePolicy(principal.workspaceId),
    ]);
    const user = normaliseNewUser(body, writes, unknownAttributes);
    const created = await this.commandBus.execute<CreateUserCommand, UserView>(
      new CreateUserCommand(user.userName, user.externalId, user.active, user.attributes, commandContextOf(principal, request, body), user.ignoredAttributes),
    );
    const baseUrl = scimBaseUrl(this.config, principal.endpoint);
    void reply.header('Location', userLocation(baseUrl, created.id)).header('ETag', formatETag(created.revision));
    return toScimUser(created, baseUrl);
  }
}

