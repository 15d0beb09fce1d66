import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { APP_CONFIG } from '@axis/platform';
import { parseBulkRequest, scimErrors } from '@axis/scim';
import type { FastifyRequest } from 'fastify';
import { ScimBearerGuard, type ScimPrincipal } from '../auth/scim-bearer.guard';
import { Principal } from '../auth/scim-principal.decorator';
import type { GatewayConfig } from '../gateway.config';
import { BulkExecutor, type BulkResponse } from './bulk-executor';
import { bulkMaxPayloadSize } from './bulk-limits';

/** `POST /Bulk` (RFC 7644 §3.7): many operations in one request, each run as the request it stands for. */
@Controller('scim/v2')
@UseGuards(ScimBearerGuard)
export class BulkRoute {
  constructor(
    private readonly executor: BulkExecutor,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Post('Bulk')
  @HttpCode(200)
  async bulk(@Body() body: unknown, @Principal() principal: ScimPrincipal, @Req() request: FastifyRequest): Promise<BulkResponse> {
    const limit = bulkMaxPayloadSize(this.config);
    const size = Number(request.headers['content-length'] ?? Buffer.byteLength(JSON.stringify(body ?? null)));
    if (size > limit) throw scimErrors.payloadTooLarge(`A bulk request may be at most ${limit} bytes (maxPayloadSize); this one is ${size}`);
    return this.executor.run(parseBulkRequest(body), principal, request);
  }
}
