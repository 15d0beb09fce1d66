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
import { ScimBearerGuard } from '../auth/scim-bearer.guard';
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
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    this.baseUrl = scimBaseUrl(config);
  }

  @Get('ServiceProviderConfig')
  serviceProviderConfig(): Record<string, unknown> {
    return buildServiceProviderConfig(this.baseUrl);
  }

  @Get('Schemas')
  schemas(): Record<string, unknown> {
    return buildSchemasDocument(registry, this.baseUrl);
  }

  @Get('Schemas/:uri')
  schema(@Param('uri') uri: string): Record<string, unknown> {
    return buildSchemaDocument(registry, uri, this.baseUrl);
  }

  @Get('ResourceTypes')
  resourceTypes(): Record<string, unknown> {
    return buildResourceTypesDocument(registry, this.baseUrl);
  }

  @Get('ResourceTypes/:name')
  resourceType(@Param('name') name: string): Record<string, unknown> {
    return buildResourceTypeDocument(registry, name, this.baseUrl);
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
