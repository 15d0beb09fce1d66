import { Controller, Delete, Get, Inject, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { APP_CONFIG } from '@axis/platform';
import {
  buildResourceTypeDocument,
  buildResourceTypesDocument,
  buildSchemaDocument,
  buildSchemasDocument,
  buildServiceProviderConfig,
  createDefaultSchemaRegistry,
  scimErrors,
} from '@axis/scim';
import { ScimBearerGuard, type ScimPrincipal } from '../auth/scim-bearer.guard';
import { Principal } from '../auth/scim-principal.decorator';
import type { GatewayConfig } from '../gateway.config';
import { scimBaseUrl } from '../http/scim-base-url';

const registry = createDefaultSchemaRegistry();
const DISCOVERY_PATHS = ['ServiceProviderConfig', 'Schemas', 'Schemas/:uri', 'ResourceTypes', 'ResourceTypes/:name'];

/**
 * `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes`: read-only, computed from the schema
 * registry without touching a store, so an IdP's "Test connection" probe is cheap.
 */
@Controller('scim/v2')
@UseGuards(ScimBearerGuard)
export class DiscoveryRoute {
  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Principal() principal: ScimPrincipal): Record<string, unknown> {
    return buildServiceProviderConfig(scimBaseUrl(this.config, principal.endpoint));
  }

  @Get('Schemas')
  schemas(@Principal() principal: ScimPrincipal): Record<string, unknown> {
    return buildSchemasDocument(registry, scimBaseUrl(this.config, principal.endpoint));
  }

  @Get('Schemas/:uri')
  schema(@Param('uri') uri: string, @Principal() principal: ScimPrincipal): Record<string, unknown> {
    return buildSchemaDocument(registry, uri, scimBaseUrl(this.config, principal.endpoint));
  }

  @Get('ResourceTypes')
  resourceTypes(@Principal() principal: ScimPrincipal): Record<string, unknown> {
    return buildResourceTypesDocument(registry, scimBaseUrl(this.config, principal.endpoint));
  }

  @Get('ResourceTypes/:name')
  resourceType(@Param('name') name: string, @Principal() principal: ScimPrincipal): Record<string, unknown> {
    return buildResourceTypeDocument(registry, name, scimBaseUrl(this.config, principal.endpoint));
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
