import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CustomAttribute, CustomAttributeCommand } from '@axis/domain';
import { AXIS_USER_EXTENSION_SCHEMA } from '@axis/scim';
import type { FastifyRequest } from 'fastify';
import { Admin, AdminApi } from '../auth/admin.decorators';
import { type AdminPrincipal, adminWriteContext } from '../auth/admin-key.guard';
import { AddCustomAttributeDto, ChangeCustomAttributeDto, CustomAttributeList, CustomAttributeView, ReplaceCustomAttributeDto } from './custom-attribute.dto';
import { CustomAttributeDefinitions } from '../../custom-attributes/custom-attribute-definitions';

const DEFAULTS = { multiValued: false, caseExact: false, required: false, canonicalValues: [] as string[], description: '' };

/**
 * Custom user attributes of the workspace (`/api/v1/workspaces/:slug/custom-attributes`): the
 * workspace's SCIM extension `urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User`, which
 * IdP attribute mappings target. Every change is an event with the acting admin.
 */
@Controller('api/v1/workspaces/:slug/custom-attributes')
@AdminApi('Custom attributes')
export class CustomAttributesRoute {
  constructor(private readonly definitions: CustomAttributeDefinitions) {}

  @Get()
  @ApiOperation({ summary: 'The custom attributes, deprecated ones included, in the order they were added' })
  @ApiOkResponse({ type: CustomAttributeList })
  async list(@Admin() admin: AdminPrincipal): Promise<CustomAttributeList> {
    return { schema: AXIS_USER_EXTENSION_SCHEMA, items: (await this.definitions.list(admin.workspaceId)).map(viewOf) };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a custom attribute' })
  @ApiCreatedResponse({ type: CustomAttributeView })
  @ApiConflictResponse({ description: 'An attribute of that name exists (deprecated ones included), or the workspace has 100' })
  add(@Admin() admin: AdminPrincipal, @Body() body: AddCustomAttributeDto, @Req() request: FastifyRequest): Promise<CustomAttributeView> {
    return this.run({ type: 'AddCustomAttribute', attribute: { ...DEFAULTS, ...definedFields(body), name: body.name, type: body.type } }, admin, request);
  }

  @Put(':name')
  @ApiOperation({ summary: 'Replace a definition (fields left out return to their defaults); the name stays' })
  @ApiOkResponse({ type: CustomAttributeView })
  @ApiNotFoundResponse({ description: 'No such attribute' })
  @ApiConflictResponse({ description: 'Stored values do not satisfy the new type or multiValued (the message names a member and its value), or the attribute is deprecated' })
  replace(@Admin() admin: AdminPrincipal, @Param('name') name: string, @Body() body: ReplaceCustomAttributeDto, @Req() request: FastifyRequest): Promise<CustomAttributeView> {
    return this.run({ type: 'ChangeCustomAttribute', name, changes: { ...DEFAULTS, ...definedFields(body) } }, admin, request);
  }

  @Patch(':name')
  @ApiOperation({ summary: 'Change some fields of a definition' })
  @ApiOkResponse({ type: CustomAttributeView })
  @ApiNotFoundResponse({ description: 'No such attribute' })
  @ApiConflictResponse({ description: 'As for PUT' })
  change(@Admin() admin: AdminPrincipal, @Param('name') name: string, @Body() body: ChangeCustomAttributeDto, @Req() request: FastifyRequest): Promise<CustomAttributeView> {
    return this.run({ type: 'ChangeCustomAttribute', name, changes: definedFields(body) }, admin, request);
  }

  @Post(':name/deprecate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deprecate: IdPs can no longer set or clear it (sent values are ignored and listed in the audit log); stored values stay readable and filterable' })
  @ApiOkResponse({ type: CustomAttributeView })
  @ApiNotFoundResponse({ description: 'No such attribute' })
  deprecate(@Admin() admin: AdminPrincipal, @Param('name') name: string, @Req() request: FastifyRequest): Promise<CustomAttributeView> {
    return this.run({ type: 'DeprecateCustomAttribute', name }, admin, request);
  }

  @Post(':name/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo a deprecation' })
  @ApiOkResponse({ type: CustomAttributeView })
  @ApiNotFoundResponse({ description: 'No such attribute' })
  restore(@Admin() admin: AdminPrincipal, @Param('name') name: string, @Req() request: FastifyRequest): Promise<CustomAttributeView> {
    return this.run({ type: 'RestoreCustomAttribute', name }, admin, request);
  }

  private async run(command: CustomAttributeCommand, admin: AdminPrincipal, request: FastifyRequest): Promise<CustomAttributeView> {
    const context = adminWriteContext(admin, String(request.id));
    return viewOf(await this.definitions.run(command, context));
  }
}

/** The DTO's fields the admin sent (the validation pipe leaves absent optional fields undefined). */
function definedFields<T extends object>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function viewOf(attribute: CustomAttribute): CustomAttributeView {
  return { ...attribute, path: `${AXIS_USER_EXTENSION_SCHEMA}:${attribute.name}`, canonicalValues: [...attribute.canonicalValues] };
}
