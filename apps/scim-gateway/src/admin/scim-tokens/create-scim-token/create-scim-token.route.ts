import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { workspaceScimBaseUrl } from '@axis/config';
import { APP_CONFIG } from '@axis/platform';
import { type IssuedSecret } from '@axis/write';
import type { FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../../../gateway.config';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { CreatedScimToken } from '../scim-token.views';
import { CreateScimTokenCommand } from './create-scim-token.command';
import { CreateScimTokenDto } from './create-scim-token.dto';

@Controller('api/v1/workspaces/:slug/scim-tokens')
@AdminApi('SCIM tokens')
export class CreateScimTokenRoute {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Generate a SCIM bearer token', description: 'The response is the only time the token is shown.' })
  @ApiCreatedResponse({ type: CreatedScimToken })
  async create(@Admin() admin: AdminPrincipal, @Body() body: CreateScimTokenDto, @Req() request: FastifyRequest): Promise<CreatedScimToken> {
    const issued = await this.commandBus.execute<CreateScimTokenCommand, IssuedSecret>(
      new CreateScimTokenCommand(admin, body.description ?? null, String(request.id)),
    );
    return {
      id: issued.id,
      prefix: issued.prefix,
      description: issued.description,
      createdAt: issued.createdAt,
      createdBy: admin.actor,
      scimEndpointUrl: workspaceScimBaseUrl(this.config, admin.workspaceId),
      token: issued.secret,
    };
  }
}
