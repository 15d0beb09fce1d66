import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import type { IssuedSecret } from '@axis/write';
import type { FastifyRequest } from 'fastify';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { CreatedAdminKey } from '../admin-key.views';
import { CreateAdminKeyCommand } from './create-admin-key.command';
import { CreateAdminKeyDto } from './create-admin-key.dto';

@Controller('api/v1/workspaces/:slug/admin-keys')
@AdminApi('Admin keys')
export class CreateAdminKeyRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an admin API key for another admin', description: 'The response is the only time the key is shown.' })
  @ApiCreatedResponse({ type: CreatedAdminKey })
  async create(@Admin() admin: AdminPrincipal, @Body() body: CreateAdminKeyDto, @Req() request: FastifyRequest): Promise<CreatedAdminKey> {
    const issued = await this.commandBus.execute<CreateAdminKeyCommand, IssuedSecret>(new CreateAdminKeyCommand(admin, body.description, String(request.id)));
    return {
      key: issued.secret,
      adminKey: {
        id: issued.id,
        prefix: issued.prefix,
        description: issued.description,
        createdAt: issued.createdAt,
        createdBy: admin.actor,
        lastUsedAt: null,
        revokedAt: null,
        state: 'active',
      },
    };
  }
}
