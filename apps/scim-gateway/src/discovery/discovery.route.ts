import { Controller, Delete, Get, Inject, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { APP_CONFIG } from '@axis/platform';
import {
  buildResourceTypeDocument,
  buildResourceTypesDocument,
  buildSchemaDocument,
  buildSchemasDocument,
  buildServiceProviderConfig,
  scimErrors,
} from '@axis/scim';
import { ScimBearerGuard, type ScimPrincipal } from '../auth/scim-bearer.guard';
import { Principal } from '../auth/scim-principal.decorator';
import { WorkspaceSchemas } from '../custom-attributes/workspace-schemas';
import type { GatewayConfig } from '../gateway.config';
import { scimBaseUrl } from '../http/scim-base-url';
import { bulkMaxPayloadSize } from '../bulk/bulk-limits';

const DISCOVERY_PATHS = ['ServiceProviderConfig', 'Schemas', 'Schemas/:uri', 'ResourceTypes', 'ResourceTypes/:name'];

/**
 * `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes`: read-only, computed from the workspace's
 * schema registry — the defaults plus its custom-attribute extension, which only that workspace
 * sees (cached per process, so an IdP's "Test connection" probe stays cheap).
 */
@Controller('scim/v2')
@UseGuards(ScimBearerGuard)
export class DiscoveryRoute {
  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly workspaceSchemas: WorkspaceSchemas,
  ) {}

  private async registryOf(principal: ScimPrincipal) {
    return (await this.workspaceSchemas.forWorkspace(principal.workspaceId)).registry;
  }

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Principal() principal: ScimPrincipal): Record<string, unknown> {
    return buildServiceProviderConfig(scimBaseUrl(this.config, principal.endpoint), { bulk: true, bulkMaxPayloadSize: bulkMaxPayloadSize(this.config) });
  }

  @Get('Schemas')
  async schemas(@Principal() principal: ScimPrincipal): Promise<Record<string, unknown>> {
    return buildSchemasDocument(await this.registryOf(principal), scimBaseUrl(this.config, principal.endpoint));
  }

  @Get('Schemas/:uri')
  async schema(@Param('uri') uri: string, @Principal() principal: ScimPrincipal): Promise<Record<string, unknown>> {
    return buildSchemaDocument(await this.registryOf(principal), uri, scimBaseUrl(this.config, principal.endpoint));
  }

  @Get('ResourceTypes')
  async resourceTypes(@Principal() principal: ScimPrincipal): Promise<Record<string, unknown>> {
    return buildResourceTypesDocument(await this.registryOf(principal), scimBaseUrl(this.config, principal.endpoint));
  }

  @Get('ResourceTypes/:name')
  async resourceType(@Param('name') name: string, @Principal() principal: ScimPrincipal): Promise<Record<string, unknown>> {
    return buildResourceTypeDocument(await this.registryOf(principal), name, scimBaseUrl(this.config, principal.endpoint));
  }

  /** Discovery documents are read-only (RFC 7644 §4); IdP conformance suites check the 405. */
  @Post(DISCOVERY_PATHS)
  post(): never {
    throw readOnly();
  }

  @Put(DISCOVERY_PATHS)
  put(): never {
    throw readOnly();
  }

  @Patch(DISCOVERY_PATHS)
  patch(): never {
    throw readOnly();
  }

  @Delete(DISCOVERY_PATHS)
  delete(): never {
    throw readOnly();
  }
}

function readOnly() {
  return scimErrors.methodNotAllowed('Discovery endpoints are read-only');
}
