import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { loadConfigOrExit } from '@axis/config';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { NotifierModule } from '@axis/notifier';
import { closeOnSignals, createLogger, PlatformModule, READ_MODEL, reportStartFailure } from '@axis/platform';
import { WorkspaceCommands, type WriteContext } from '@axis/write';
import { ProjectorModule } from '@axis/projector';
import { scimBaseUrl, ScimGatewayModule, startHttpApp } from '@axis/scim-gateway';
import type { DataSource } from 'typeorm';
import { AllInOneConfig } from './all-in-one.config';
import { ConsumerThread } from './consumer-thread';
import { securePrivateDataDir } from './private-data-dir';
import { type BootstrapAdminKey, type BootstrapToken, ensureBootstrapAdminKey, ensureBootstrapToken } from './embedded-bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit(AllInOneConfig);

  const tightened = securePrivateDataDir(config.DATA_DIR);
  if (tightened.length > 0) {
    createLogger('all-in-one', config.LOG_LEVEL).warn({ tightened }, 'DATA_DIR was readable by other users: made it 0700 and its files 0600');
  }
  const consumersOnWorkerThread = config.consumersOnWorkerThread();

  @Module({
    imports: [
      // The read budget only when the projections run on the worker thread's own connections.
      PlatformModule.forRoot({ service: 'all-in-one', config, ...(consumersOnWorkerThread ? { readTimeoutMs: config.SCIM_READ_TIMEOUT_MS } : {}) }),
      ScimGatewayModule,
      ...(consumersOnWorkerThread ? [] : [ProjectorModule, NotifierModule]),
    ],
    providers: consumersOnWorkerThread ? [ConsumerThread] : [],
  })
  class AllInOneModule {}

  const app = await startHttpApp(AllInOneModule, config, 'all-in-one');
  closeOnSignals(app);
  const workspaces = new WorkspaceCommands(app.get<EventStore>(EVENT_STORE));
  const bootstrap: WriteContext = { workspaceId: config.DEFAULT_WORKSPACE, actor: 'operator', dialect: 'system' };
  const createdWorkspace = await workspaces.ensureWorkspace(bootstrap);
  // With SCIM_BEARER_TOKEN set, that token (the documented fallback) is the way in; otherwise a
  // real workspace token whose only copy is the bootstrap file.
  const bootstrapToken = config.SCIM_BEARER_TOKEN
    ? null
    : await ensureBootstrapToken(config.DATA_DIR, workspaces, app.get<DataSource>(READ_MODEL), bootstrap);
  // The console's first sign-in: an admin key of the default workspace, only in its file.
  const bootstrapAdminKey = await ensureBootstrapAdminKey(config.DATA_DIR, workspaces, app.get<DataSource>(READ_MODEL), bootstrap);
  printBanner(config, createdWorkspace, bootstrapToken, bootstrapAdminKey);
}

function printBanner(
  config: AllInOneConfig,
  createdWorkspace: boolean,
  bootstrapToken: BootstrapToken | null,
  adminKey: BootstrapAdminKey,
): void {
  const url = scimBaseUrl(config);
  const noteOf = (file: BootstrapToken | null) => (file?.replaced ? ' (the one there was revoked; replaced now)' : file?.created ? ' (created now)' : '');
  const note = noteOf(bootstrapToken);
  const tokenHow = bootstrapToken
    ? `the token in ${bootstrapToken.file}${note}: TOKEN=$(cat ${bootstrapToken.file})`
    : 'the token in SCIM_BEARER_TOKEN';
  const lines = [
    '',
    'AxisSynapse SCIM provisioning is running (all-in-one).',
    `  Workspace:         ${config.DEFAULT_WORKSPACE}${createdWorkspace ? ' (created now)' : ''}`,
    `  SCIM endpoint URL: ${url}`,
    `  Bearer token:      ${tokenHow}`,
    `  Try it:            curl -H "Authorization: Bearer $TOKEN" ${url}/ServiceProviderConfig`,
    `  Admin console:     ${config.publicUrl()}/admin`,
    `  Admin key:         in ${adminKey.file}${noteOf(adminKey)}: sign in to the console with it (workspace ${config.DEFAULT_WORKSPACE})`,
    `  Admin API:         ${config.publicUrl()}/api/v1/workspaces/${config.DEFAULT_WORKSPACE} (docs ${config.publicUrl()}/api/docs), Authorization: Bearer $(cat ${adminKey.file})`,
    `  Storage:           events ${config.eventStoreUrl().replace(/\/\/[^@]*@/, '//***@')}, read model ${config.readModelUrl().replace(/\/\/[^@]*@/, '//***@')}`,
    `  Kafka:             ${config.kafkaBrokers().length > 0 ? `${config.KAFKA_BROKERS} topic ${config.KAFKA_TOPIC}` : 'off (set KAFKA_BROKERS to publish)'}`,
    '  Stop with Ctrl-C.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((error: unknown) => {
  reportStartFailure('all-in-one', error);
  process.exit(1);
});
