import { Body, Controller, ForbiddenException, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { generateSessionToken, secretDigest, secretPrefix } from '@axis/credentials';
import { WORKSPACE_SLUG_PATTERN } from '@axis/domain';
import { READ_MODEL } from '@axis/platform';
import { insertSession, MemberRecord, MEMBERS_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from '../../consistency/read-your-writes';
import { InternalApi } from '../auth/internal-api.decorators';
import { CreatedSession } from '../session.views';
import { CreateSessionDto } from './create-session.dto';

/**
 * Opens a session for an active member (what SSO does after authenticating someone). Sessions are
 * operational state, written straight to the read-model database — the one table the gateway
 * writes — and revoked by the projector's session revoker when the IdP deactivates the member.
 */
@Controller('internal/v1/workspaces/:slug/sessions')
@InternalApi('Sessions')
export class CreateSessionRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a session for an active member' })
  @ApiParam({ name: 'slug', description: 'Workspace slug' })
  @ApiCreatedResponse({ type: CreatedSession })
  @ApiForbiddenResponse({ description: 'The member is unknown in this workspace or not active' })
  async create(@Param('slug') slug: string, @Body() body: CreateSessionDto): Promise<CreatedSession> {
    if (!WORKSPACE_SLUG_PATTERN.test(slug)) throw new NotFoundException();
    // A member this process just provisioned must be able to sign in straight away.
    await this.readYourWrites.waitFor(slug, MEMBERS_PROJECTION);
    const member = await this.readModel.manager.findOneBy(MemberRecord, { id: body.memberId, workspaceId: slug });
    if (!member) throw new ForbiddenException({ error: 'member_unknown', message: 'No such member in this workspace' });
    if (!member.active) throw new ForbiddenException({ error: 'member_inactive', message: 'The member is deactivated' });
    const token = generateSessionToken();
    const session = {
      id: randomUUID(),
      workspaceId: slug,
      memberId: member.id,
      tokenSha256: secretDigest(token),
      prefix: secretPrefix(token),
      createdAt: new Date().toISOString(),
    };
    await insertSession(this.readModel, session);
    return { id: session.id, workspaceId: slug, memberId: member.id, createdAt: session.createdAt, token };
  }
}
