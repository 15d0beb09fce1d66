import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpConfig } from '@axis/config';
import { createFastifyAdapter, registerScimContentTypes } from './http/fastify-setup';
import { registerRequestObservability } from './http/request-observability';
import { setupOpenApi } from './openapi/openapi';
import { registerScimRequestLog } from './request-log/scim-request-log.hooks';

/**
 * Creates and starts the HTTP app for a root module that includes ScimGatewayModule (the
 * standalone gateway and the all-in-one process both use it).
 */
export async function startHttpApp(rootModule: unknown, config: HttpConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule as never,
    createFastifyAdapter(config.MAX_BODY_BYTES),
    { logger: ['error', 'warn'], bodyParser: false },
  );
  registerScimContentTypes(app);
  registerRequestObservability(app);
  registerScimRequestLog(app);
  setupOpenApi(app);
  await app.listen({ port: config.PORT, host: config.HOST });
  return app;
}
