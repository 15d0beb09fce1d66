import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { READ_MODEL } from '@axis/platform';
import { GROUP_MEMBERSHIP_REACTOR, findMemberRoles, listRoleMappings } from '@axis/read-model';
import type { WriteContext } from '@axis/write';
import type { FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../../admin/auth/admin.decorators';
import { type AdminPrincipal, adminWriteContext } from '../../admin/auth/admin-key.guard';

import { RoleMappingReadYourWrites } from '../../consistency/group-read-your-writes';
import { MemberRolesView, RoleMappingList, SetRoleMappingDto, SetRoleMappingResult } from './role-mapping.dto';
import { SetRoleMappingCommand } from './set-role-mapping.command';

/**
 * Groups → product roles (`/api/v1/workspaces/:slug/role-mappings`). A member's effective roles
 * are the union of its groups' roles; the group-membership reactor derives them, records every
 * change on the member's stream (ACCOUNT_SCIM_USER_UPDATED, changedAttributes ['roles']) and ends
 * the member's sessions when it loses an elevated role (admin, owner).
 */
@Controller('api/v1/workspaces/:slug/role-mappings')
@AdminApi('Role mappings')
export class RoleMappingsRoute {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly readYourWrites: RoleMappingReadYourWrites,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The groups that grant product roles, and their roles' })
  @ApiOkResponse({ type: RoleMappingList })
  async list(@Admin() admin: AdminPrincipal): Promise<RoleMappingList> {
    await this.readYourWrites.waitFor(admin.workspaceId, GROUP_MEMBERSHIP_REACTOR);
    return { items: await listRoleMappings(this.readModel, admin.workspaceId) };
  }

  @Put(':groupId')
  @ApiOperation({ summary: "Set the roles a group grants (replaces the group's list)" })
  @ApiOkResponse({ type: SetRoleMappingResult })
  @ApiNotFoundResponse({ description: 'No such group in this workspace' })
  set(
    @Admin() admin: AdminPrincipal,
    @Param('groupId') groupId: string,
    @Body() body: SetRoleMappingDto,
    @Req() request: FastifyRequest,
  ): Promise<SetRoleMappingResult> {
    return this.commandBus.execute(new SetRoleMappingCommand(groupId, body.roles, contextOf(admin, request)));
  }

  @Delete(':groupId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the mapping: the group grants no role any more' })
  @ApiNoContentResponse({ description: 'Removed (or there was none)' })
  async remove(@Admin() admin: AdminPrincipal, @Param('groupId') groupId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new SetRoleMappingCommand(groupId, [], contextOf(admin, request)));
  }
}

/** A member's effective product roles (`/api/v1/workspaces/:slug/members/:memberId/roles`). */
@Controller('api/v1/workspaces/:slug/members')
@AdminApi('Role mappings')
export class MemberRolesRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly readYourWrites: RoleMappingReadYourWrites,
  ) {}

  @Get(':memberId/roles')
  @ApiOperation({ summary: "A member's effective roles, derived from its groups" })
  @ApiOkResponse({ type: MemberRolesView })
  async get(@Admin() admin: AdminPrincipal, @Param('memberId') memberId: string): Promise<MemberRolesView> {
    await this.readYourWrites.waitFor(admin.workspaceId, GROUP_MEMBERSHIP_REACTOR);
    return findMemberRoles(this.readModel, admin.workspaceId, memberId);
  }
}

function contextOf(admin: AdminPrincipal, request: FastifyRequest): WriteContext {
  return adminWriteContext(admin, String(request.id));
}
