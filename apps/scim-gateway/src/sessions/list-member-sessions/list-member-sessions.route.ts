import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { listMemberSessions } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { InternalApi } from '../auth/internal-api.decorators';
import { SessionList } from '../session.views';

@Controller('internal/v1/workspaces/:slug/members/:memberId/sessions')
@InternalApi('Sessions')
export class ListMemberSessionsRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get()
  @ApiOperation({ summary: "A member's sessions, newest first, live and revoked" })
  @ApiParam({ name: 'slug', description: 'Workspace slug' })
  @ApiOkResponse({ type: SessionList })
  async list(@Param('slug') slug: string, @Param('memberId') memberId: string): Promise<SessionList> {
    return { items: await listMemberSessions(this.readModel, slug, memberId) };
  }
}
