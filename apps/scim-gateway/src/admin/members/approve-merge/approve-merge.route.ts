import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import { userStreamName, userDecider } from '@axis/domain';
import type { FastifyRequest } from 'fastify';
import { DeciderRunner } from '../../../write/decider-runner';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import { type AdminPrincipal, adminWriteContext } from '../../auth/admin-key.guard';

/**
 * Settings → Members → Merge, for workspaces with auto-merge off: the IdP's create that was refused
 * with 409 because its email belongs to this local member links to it on the IdP's next attempt
 * (`ACCOUNT_SCIM_USER_MERGED`, mergedBy `admin`). The approval is an event with the acting admin.
 */
@Controller('api/v1/workspaces/:slug/members')
@AdminApi('Members')
export class ApproveMergeRoute {
  constructor(private readonly runner: DeciderRunner) {}

  @Post(':memberId/merge')
  @HttpCode(204)
  @ApiOperation({ summary: "Allow the IdP's user with this member's email to take it over on its next sync" })
  @ApiNoContentResponse()
  async approve(
    @Admin() admin: AdminPrincipal,
    @Param('memberId', new ParseUUIDPipe()) memberId: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.runner.run(
      userDecider,
      userStreamName(admin.workspaceId, memberId),
      { type: 'ApproveMerge', userId: memberId },
      adminWriteContext(admin, String(request.id)),
    );
  }
}
