import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { loadConfigOrExit } from '@axis/config';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { NotifierModule } from '@axis/notifier';
import { closeOnSignals, PlatformModule } from '@axis/platform';
import { ProjectorModule } from '@axis/projector';
import { scimBaseUrl, ScimGatewayModule, startHttpApp } from '@axis/scim-gateway';
import { AllInOneConfig } from './all-in-one.config';
import { ensureBootstrapToken, ensureWorkspace } from './embedded-bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit(AllInOneConfig);
  const bootstrapToken = config.SCIM_BEARER_TOKEN ? null : ensureBootstrapToken(config.DATA_DIR);
  if (bootstrapToken) config.SCIM_BEARER_TOKEN = bootstrapToken.token;

  @Module({
    imports: [
      PlatformModule.forRoot({ service: 'all-in-one', config }),
      ScimGatewayModule,
      ProjectorModule,
      NotifierModule,
    ],
  })
  class AllInOneModule {}

  const app = await startHttpApp(AllInOneModule, config);
  closeOnSignals(app);
  const createdWorkspace = await ensureWorkspace(app.get<EventStore>(EVENT_STORE), config.DEFAULT_WORKSPACE);
  printBanner(config, createdWorkspace, bootstrapToken);
}

function printBanner(
  config: AllInOneConfig,
  createdWorkspace: boolean,
  bootstrapToken: { file: string; created: boolean } | null,
): void {
  const url = scimBaseUrl(config);
  const tokenHow = bootstrapToken
    ? `the token in ${bootstrapToken.file}${bootstrapToken.created ? ' (created now)' : ''}: TOKEN=$(cat ${bootstrapToken.file})`
    : 'the token in SCIM_BEARER_TOKEN';
  const lines = [
    '',
    'AxisSynapse SCIM provisioning is running (all-in-one).',
    `  Workspace:         ${config.DEFAULT_WORKSPACE}${createdWorkspace ? ' (created now)' : ''}`,
    `  SCIM endpoint URL: ${url}`,
    `  Bearer token:      ${tokenHow}`,
    `  Try it:            curl -H "Authorization: Bearer $TOKEN" ${url}/ServiceProviderConfig`,
    `  Storage:           events ${config.eventStoreUrl().replace(/\/\/[^@]*@/, '//***@')}, read model ${config.readModelUrl().replace(/\/\/[^@]*@/, '//***@')}`,
    `  Kafka:             ${config.kafkaBrokers().length > 0 ? `${config.KAFKA_BROKERS} topic ${config.KAFKA_TOPIC}` : 'off (set KAFKA_BROKERS to publish)'}`,
    '  Stop with Ctrl-C.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`all-in-one failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
