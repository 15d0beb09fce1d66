import 'reflect-metadata';
import { loadConfigOrExit } from '@axis/config';
import { createEventStore, type Position, type RecordedEvent } from '@axis/event-store';
import { createLogger, OPERATOR_EVENT_TYPES, recordOperatorAction } from '@axis/platform';
import { toCloudEventRecord } from './kafka/cloud-event.mapper';
import { KafkajsPublisher, kafkaPublisherOptionsOf } from './kafka/kafkajs.publisher';
import { NotifierConfig } from './notifier.config';
import { isOutboundEvent } from './outbound-events';

const POSITION = /^\d{20}(:\d{20})*$/;

export interface RepublishArgs {
  from: string;
  to?: string;
  topic: string;
  ratePerSecond: number;
}

/** A bound is a position (exclusive `from`, inclusive `to`) or an ISO time (on `recordedAt`). */
function bound(value: string): { position: Position } | { time: number } {
  if (POSITION.test(value)) return { position: value };
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`not a position or an ISO time: ${value}`);
  return { time };
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
  return { from, topic, ratePerSecond: rate, ...(to ? { to } : {}) };
}

/**
 * `axis kafka republish`: sends a range of history again to a Kafka topic (the same CloudEvents
 * records as the kafka reactor: consumers recognise repeats by `ce_id`) at a controlled rate, without
 * touching the kafka reactor's checkpoint. Recorded in the audit log.
 */
async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  const from = bound(args.from);
  const to = args.to ? bound(args.to) : null;
  const config = loadConfigOrExit(NotifierConfig);
  if (config.kafkaBrokers().length === 0) throw new Error('KAFKA_BROKERS is not set');
  const eventStore = await createEventStore({ url: config.eventStoreUrl(), schema: config.EVENT_STORE_SCHEMA });
  const publisher = new KafkajsPublisher({ ...kafkaPublisherOptionsOf(config), topic: args.topic }, createLogger('republish', 'warn'));
  const started = Date.now();
  let sent = 0;
  let last: Position | null = null;
  try {
    await publisher.start();
    const batchSize = Math.max(1, Math.min(500, Math.ceil(args.ratePerSecond / 4)));
    let after: Position | 'start' = 'position' in from ? from.position : 'start';
    for (let done = false; !done; ) {
      const page: RecordedEvent[] = await eventStore.readAll({ after, maxCount: batchSize });
      if (page.length === 0) break;
      after = page[page.length - 1]!.position;
      const selected: RecordedEvent[] = [];
      for (const event of page) {
        if (to && ('position' in to ? event.position > to.position : event.recordedAt.getTime() > to.time)) {
          done = true;
          break;
        }
        if ('time' in from && event.recordedAt.getTime() < from.time) continue;
        if (isOutboundEvent(event)) selected.push(event);
      }
      if (selected.length > 0) {
        await publisher.publish(selected.map(toCloudEventRecord));
        sent += selected.length;
        last = selected[selected.length - 1]!.position;
      }
      // Rate: never ahead of `ratePerSecond` on average.
      const ahead = (sent / args.ratePerSecond) * 1000 - (Date.now() - started);
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
      if (sent > 0 && process.stderr.isTTY) process.stderr.write(`\rrepublished ${sent} events to ${args.topic}   `);
    }
    await recordOperatorAction(eventStore, {
      type: OPERATOR_EVENT_TYPES.republished,
      actor: 'operator',
      data: { consumer: 'kafka', topic: args.topic, from: args.from, to: args.to ?? null, events: sent, lastPosition: last },
    });
    process.stdout.write(`${JSON.stringify({ topic: args.topic, events: sent, lastPosition: last, seconds: (Date.now() - started) / 1000 })}\n`);
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
