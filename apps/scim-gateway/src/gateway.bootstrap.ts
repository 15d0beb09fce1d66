import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import type { HttpConfig } from '@axis/config';
import { createLogger, PinoNestLogger } from '@axis/platform';
import { adminConsoleDir, registerAdminConsole } from './console/serve-console/admin-console-static';
import { createFastifyAdapter, registerScimContentTypes } from './http/fastify-setup';
import { registerRequestObservability } from './http/request-observability';
import { registerApiDocs } from './openapi/api-docs-static';
import { setupOpenApi } from './openapi/openapi';
import { registerScimRequestLog } from './request-log/scim-request-log.hooks';

/**
 * Creates and starts the HTTP app for a root module that includes ScimGatewayModule (the
 * standalone gateway and the all-in-one process both use it).
 */
export async function startHttpApp(rootModule: unknown, config: HttpConfig & { LOG_LEVEL: string }, service: string): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule as never,
    createFastifyAdapter(config.MAX_BODY_BYTES),
    { logger: new PinoNestLogger(createLogger(service, config.LOG_LEVEL)), bodyParser: false },
  );
  registerScimContentTypes(app);
  // The admin console's session cookie (read by AdminKeyGuard, set at sign-in).
  await app.register(fastifyCookie);
  await registerAdminConsole(app.getHttpAdapter().getInstance(), adminConsoleDir(config.ADMIN_CONSOLE_DIR));
  registerRequestObservability(app);
  registerScimRequestLog(app);
  setupOpenApi(app);
  await registerApiDocs(app.getHttpAdapter().getInstance());
  await app.listen({ port: config.PORT, host: config.HOST });
  return app;
}
