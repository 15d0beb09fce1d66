import 'reflect-metadata';
import { loadConfigOrExit } from '@axis/config';
import { createEventStore } from '@axis/event-store';
import { createLogger } from '@axis/platform';
import { OPERATOR_EVENT_TYPES, recordOperatorAction } from '@axis/write';
import { KafkajsPublisher, kafkaPublisherOptionsOf } from './kafka/kafkajs.publisher';
import { parseRepublishArgs } from './kafka/republish-args';
import { republishProgress } from './kafka/republish-progress';
import { republishRange } from './kafka/republish-range';
import { NotifierConfig } from './notifier.config';

/**
 * `axis kafka republish` (the CLI runs `dist/republish.js`): `republishRange` on the configured
 * store and broker, to the topic asked for; recorded in the audit log. Progress (total, rate, ETA)
 * on stderr — a line rewritten on a terminal, plain lines otherwise — and one JSON summary line on stdout.
 */
async function main(argv: string[]): Promise<number> {
  const args = parseRepublishArgs(argv);
  const config = loadConfigOrExit(NotifierConfig);
  if (config.kafkaBrokers().length === 0) throw new Error('KAFKA_BROKERS is not set');
  const eventStore = await createEventStore({ url: config.eventStoreUrl(), schema: config.EVENT_STORE_SCHEMA });
  const publisher = new KafkajsPublisher({ ...kafkaPublisherOptionsOf(config), topic: args.topic }, createLogger('republish', 'warn'));
  const started = Date.now();
  try {
    await publisher.start();
    const total = await eventStore.countAll({ after: 'position' in args.from ? args.from.position : 'start' });
    const progress = republishProgress(args.topic, total, process.stderr);
    const result = await republishRange({
      eventStore,
      publisher,
      from: args.from,
      ...(args.to ? { to: args.to } : {}),
      ratePerSecond: args.ratePerSecond,
      onProgress: (sent) => progress.update(sent),
    });
    progress.done(result.events);
    await recordOperatorAction(eventStore, {
      type: OPERATOR_EVENT_TYPES.republished,
      actor: 'operator',
      data: { consumer: 'kafka', topic: args.topic, from: args.raw.from, to: args.raw.to, events: result.events, lastPosition: result.lastPosition },
    });
    process.stdout.write(`${JSON.stringify({ topic: args.topic, ...result, seconds: (Date.now() - started) / 1000 })}\n`);
    return 0;
  } finally {
    await publisher.stop().catch(() => undefined);
    await eventStore.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`axis: kafka republish failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
