import 'reflect-metadata';
import { loadConfigOrExit } from '@axis/config';
import { createEventStore } from '@axis/event-store';
import { createLogger, OPERATOR_EVENT_TYPES, recordOperatorAction } from '@axis/platform';
import { KafkajsPublisher, kafkaPublisherOptionsOf } from './kafka/kafkajs.publisher';
import { parseRangeBound, type RangeBound, republishRange } from './kafka/republish-range';
import { NotifierConfig } from './notifier.config';

interface RepublishArgs {
  from: RangeBound;
  to?: RangeBound;
  raw: { from: string; to: string | null };
  topic: string;
  ratePerSecond: number;
}

function parse(argv: string[]): RepublishArgs {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const from = value('--from');
  const topic = value('--topic');
  if (!from || !topic) throw new Error('usage: republish --from <time|position> [--to <time|position>] --topic <name> [--rate <events/s>]');
  const rate = Number(value('--rate') ?? 500);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error('--rate must be a positive number of events per second');
  const to = value('--to');
  return { from: parseRangeBound(from), ...(to ? { to: parseRangeBound(to) } : {}), raw: { from, to: to ?? null }, topic, ratePerSecond: rate };
}

/**
 * `axis kafka republish` (the CLI runs `dist/republish.js`): `republishRange` on the configured
 * store and broker, to the topic asked for; recorded in the audit log. Progress on a terminal, one
 * JSON summary line on stdout.
 */
async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  const config = loadConfigOrExit(NotifierConfig);
  if (config.kafkaBrokers().length === 0) throw new Error('KAFKA_BROKERS is not set');
  const eventStore = await createEventStore({ url: config.eventStoreUrl(), schema: config.EVENT_STORE_SCHEMA });
  const publisher = new KafkajsPublisher({ ...kafkaPublisherOptionsOf(config), topic: args.topic }, createLogger('republish', 'warn'));
  const started = Date.now();
  try {
    await publisher.start();
    const result = await republishRange({
      eventStore,
      publisher,
      from: args.from,
      ...(args.to ? { to: args.to } : {}),
      ratePerSecond: args.ratePerSecond,
      onProgress: (sent) => {
        if (process.stderr.isTTY) process.stderr.write(`\rrepublished ${sent} events to ${args.topic}   `);
      },
    });
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
