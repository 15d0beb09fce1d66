import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { listMemberDirectory, MEMBERS_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from '../../../consistency/read-your-writes';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { toMemberView } from '../member.views';
import { ListMembersQuery, MemberPage, MemberState } from './list-members.dto';

/** Settings → Members: paged, searchable, filtered and sorted server-side, from the member read model. */
@Controller('api/v1/workspaces/:slug/members')
@AdminApi('Members')
export class ListMembersRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiOperation({ summary: "The workspace's members, each with its source, SCIM badge, groups, roles and possible duplicate" })
  @ApiOkResponse({ type: MemberPage })
  async list(@Admin() admin: AdminPrincipal, @Query() query: ListMembersQuery): Promise<MemberPage> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    await this.readYourWrites.waitFor(admin.workspaceId, MEMBERS_PROJECTION);
    const page = await listMemberDirectory(this.readModel, {
      workspaceId: admin.workspaceId,
      offset,
      limit,
      ...(query.q ? { q: query.q } : {}),
      ...(query.source ? { source: query.source } : {}),
      ...(query.state ? { active: query.state === MemberState.active } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
      ...(query.order ? { order: query.order } : {}),
    });
    return { items: page.items.map(toMemberView), total: page.total, totalIsLowerBound: page.totalIsLowerBound, offset, limit };
  }
}
