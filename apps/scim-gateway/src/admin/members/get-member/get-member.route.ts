import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { findMemberDetail, listMemberSessions, MEMBERS_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from '../../../consistency/read-your-writes';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { toMemberView } from '../member.views';
import { MemberDetailView } from './get-member.views';

/** Settings → Members → a member: attributes (custom ones included), groups, roles, live sessions. */
@Controller('api/v1/workspaces/:slug/members')
@AdminApi('Members')
export class GetMemberRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get(':memberId')
  @ApiOperation({ summary: 'A member with its stored SCIM resource and live sessions' })
  @ApiOkResponse({ type: MemberDetailView })
  @ApiNotFoundResponse({ description: '`{error: "not_found"}`: no such member in this workspace' })
  async get(@Admin() admin: AdminPrincipal, @Param('memberId') memberId: string): Promise<MemberDetailView> {
    await this.readYourWrites.waitFor(admin.workspaceId, MEMBERS_PROJECTION);
    const member = await findMemberDetail(this.readModel, admin.workspaceId, memberId);
    if (!member) throw new NotFoundException({ error: 'not_found', message: `No member ${memberId} in this workspace` });
    const sessions = await listMemberSessions(this.readModel, admin.workspaceId, memberId);
    return {
      ...toMemberView(member),
      resource: member.resource,
      sessions: sessions
        .filter((session) => session.revokedAt === null)
        .map((session) => ({ id: session.id, prefix: session.prefix, createdAt: session.createdAt })),
    };
  }
}
