import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { loadConfigOrExit } from '@axis/config';
import { closeOnSignals, PlatformModule } from '@axis/platform';
import { ProjectorConfig } from './projector.config';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ProjectorConfig);

  @Module({ imports: [PlatformModule.forRoot({ service: 'projector', config }), ProjectorModule] })
  class ProjectorAppModule {}

  const app = await NestFactory.createApplicationContext(ProjectorAppModule, { logger: ['error', 'warn'] });
  closeOnSignals(app);
  process.stdout.write(JSON.stringify({ service: 'projector', msg: 'projector running' }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`projector failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
