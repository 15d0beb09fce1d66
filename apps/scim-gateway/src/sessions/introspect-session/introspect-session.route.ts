import { Controller, Get, Headers, Inject, UnauthorizedException } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { isSecretOfKind, secretDigest } from '@axis/credentials';
import { READ_MODEL } from '@axis/platform';
import { findSessionByDigest } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { InternalApi } from '../auth/internal-api.decorators';
import { IntrospectedSessionView } from '../session.views';

/**
 * Is this session still good? 200 with the member, else 401. A session is good while it is not
 * revoked AND its member is active in the read model: whichever of the session revoker and the
 * member projection sees a deactivation first ends access.
 */
@Controller('internal/v1/sessions/introspect')
@InternalApi('Sessions')
export class IntrospectSessionRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Introspect a session token' })
  @ApiHeader({ name: 'X-Session-Token', required: true, description: 'The session token (`ses_…`)' })
  @ApiOkResponse({ type: IntrospectedSessionView })
  @ApiUnauthorizedResponse({ description: 'Unknown or revoked session, or a member no longer active' })
  async introspect(@Headers('x-session-token') token: string | undefined): Promise<IntrospectedSessionView> {
    const found = token && isSecretOfKind(token, 'ses') ? await findSessionByDigest(this.readModel, secretDigest(token)) : null;
    if (!found || found.session.revokedAt !== null || !found.member?.active) {
      throw new UnauthorizedException({ error: 'session_inactive', message: 'The session is unknown, revoked, or its member is not active' });
    }
    const { member } = found;
    return {
      active: true,
      sessionId: found.session.id,
      workspaceId: found.workspaceId,
      createdAt: found.session.createdAt,
      member: { id: member.id, userName: member.userName, displayName: member.displayName, externalId: member.externalId },
    };
  }
}
