import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { loadConfigOrExit } from '@axis/config';
import { closeOnSignals, PlatformModule } from '@axis/platform';
import { GatewayConfig } from './gateway.config';
import { startHttpApp } from './gateway.bootstrap';
import { ScimGatewayModule } from './scim-gateway.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(GatewayConfig);

  @Module({ imports: [PlatformModule.forRoot({ service: 'scim-gateway', config, readTimeoutMs: config.SCIM_READ_TIMEOUT_MS }), ScimGatewayModule] })
  class GatewayAppModule {}

  const app = await startHttpApp(GatewayAppModule, config);
  closeOnSignals(app);
  process.stdout.write(
    JSON.stringify({ service: 'scim-gateway', msg: 'listening', url: `${config.publicUrl()}/scim/v2` }) + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`scim-gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
