import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { userStreamName, userDecider } from '@axis/domain';
import type { FastifyRequest } from 'fastify';
import { UserKeyReservations } from '../../../users/shared/user-key-reservations';
import { userKeysOf } from '../../../users/shared/user-keys';
import { DeciderRunner } from '../../../write/decider-runner';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import { type AdminPrincipal, adminWriteContext } from '../../auth/admin-key.guard';
import { CreateLocalMemberDto, LocalMemberView } from './create-local-member.dto';

/**
 * Settings → Members → Add member: an account that exists before (or outside) SCIM. Its userName
 * and email are unique like a SCIM user's; the IdP's first create with its email links to it.
 */
@Controller('api/v1/workspaces/:slug/members')
@AdminApi('Members')
export class CreateLocalMemberRoute {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly reservations: UserKeyReservations,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a local member (an account that existed before SCIM)' })
  @ApiCreatedResponse({ type: LocalMemberView })
  @ApiConflictResponse({ description: 'Another member has this userName or email' })
  async create(@Admin() admin: AdminPrincipal, @Body() body: CreateLocalMemberDto, @Req() request: FastifyRequest): Promise<LocalMemberView> {
    const userId = randomUUID();
    const context = adminWriteContext(admin, String(request.id));
    const command = { type: 'CreateLocalMember' as const, userId, userName: body.userName, email: body.email, displayName: body.displayName ?? null };
    await this.runner.run(userDecider, userStreamName(admin.workspaceId, userId), command, context, {
      beforeAppend: (_events, next) =>
        this.reservations.reserve(userId, next.status === 'local' ? userKeysOf(next.attributes) : {}, context),
    });
    return { id: userId, userName: body.userName, email: body.email, source: 'local' };
  }
}
