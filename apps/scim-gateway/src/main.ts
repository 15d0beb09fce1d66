import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { loadConfigOrExit } from '@axis/config';
import { closeOnSignals, LOGGER, type Logger, PlatformModule, reportStartFailure } from '@axis/platform';
import { GatewayConfig } from './gateway.config';
import { startHttpApp } from './gateway.bootstrap';
import { ScimGatewayModule } from './scim-gateway.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(GatewayConfig);

  @Module({ imports: [PlatformModule.forRoot({ service: 'scim-gateway', config, readTimeoutMs: config.SCIM_READ_TIMEOUT_MS }), ScimGatewayModule] })
  class GatewayAppModule {}

  const app = await startHttpApp(GatewayAppModule, config, 'scim-gateway');
  closeOnSignals(app);
  app.get<Logger>(LOGGER).info({ url: `${config.publicUrl()}/scim/v2` }, 'listening');
}

main().catch((error: unknown) => {
  reportStartFailure('scim-gateway', error);
  process.exit(1);
});
