import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parentPort } from 'node:worker_threads';
import { loadConfigOrExit } from '@axis/config';
import { NotifierModule } from '@axis/notifier';
import { createLogger, PinoNestLogger, PlatformModule, productMetricsOfThisThread } from '@axis/platform';
import { ProjectorModule } from '@axis/projector';
import { AllInOneConfig } from './all-in-one.config';
import type { FromConsumerThread, ToConsumerThread } from './consumer-thread.messages';

/**
 * The all-in-one's consumer thread: the projector's and the notifier's modules on their own
 * connections to the same stores, started by ConsumerThread once the main thread has migrated them.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('consumers.worker must run on a worker thread');
  const config = loadConfigOrExit(AllInOneConfig);

  @Module({ imports: [PlatformModule.forRoot({ service: 'all-in-one', config }), ProjectorModule, NotifierModule] })
  class ConsumersModule {}

  const app = await NestFactory.createApplicationContext(ConsumersModule, { logger: new PinoNestLogger(createLogger('all-in-one', config.LOG_LEVEL)) });
  const answer = (message: FromConsumerThread) => port.postMessage(message);
  port.on('message', (message: ToConsumerThread) => {
    if (message.type === 'metrics') {
      void productMetricsOfThisThread().then(
        (metrics) => answer({ type: 'metrics', requestId: message.requestId, metrics }),
        () => answer({ type: 'metrics', requestId: message.requestId, metrics: [] }),
      );
    } else {
      // Consumers stop after their batch in hand and checkpoint; then the stores close.
      void app.close().then(() => {
        answer({ type: 'stopped' });
        port.close();
      });
    }
  });
  answer({ type: 'ready' });
}

// A failure to start reaches the main thread as the worker's 'error' event.
void main().catch((error: unknown) => {
  throw error;
});
