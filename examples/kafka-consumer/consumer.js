// Example downstream consumer of the notifier's topic (docs/asyncapi.yaml).
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_TOPIC=platform.scim.events node examples/kafka-consumer/consumer.js
// - At-least-once in, effectively-once out: a record whose ce_id was already handled is skipped.
//   The seen-set here is in memory (bounded); a real service keeps it with its own state, in the
//   same transaction as the effect (e.g. a UNIQUE(ce_id) table).
// - Per-key order: Kafka keeps one partition's order and the key <workspaceId>:<resourceId> puts a
//   resource's events in one partition; eachMessage handles a partition's records one at a time.
//   ce_streamrevision lets a consumer notice anything odd (it grows by one per event of a stream).
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const topic = process.env.KAFKA_TOPIC || 'platform.scim.events';
const groupId = process.env.KAFKA_GROUP_ID || 'example-scim-consumer';
const MAX_REMEMBERED = 100000;

const seen = new Set(); // insertion-ordered: the oldest ids are dropped first
const lastRevision = new Map(); // key -> last ce_streamrevision handled

function remember(id) {
  seen.add(id);
  if (seen.size > MAX_REMEMBERED) seen.delete(seen.values().next().value);
}

async function handle(event) {
  // Your effect goes here. Keep it idempotent or transactional with the de-duplication record.
  process.stdout.write(`${event.time} ${event.type} ${event.subject} (workspace ${event.workspace}, revision ${event.revision})\n`);
}

async function main() {
  const kafka = new Kafka({ clientId: 'example-scim-consumer', brokers, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const header = (name) => (message.headers && message.headers[name] !== undefined ? String(message.headers[name]) : undefined);
      const id = header('ce_id');
      if (!id || seen.has(id)) return; // a redelivered record: already handled
      const key = message.key ? message.key.toString() : '';
      const revision = Number(header('ce_streamrevision'));
      const previous = lastRevision.get(key);
      if (previous !== undefined && revision <= previous) return; // older than what we applied: a stale duplicate
      await handle({
        id,
        type: header('ce_type'),
        source: header('ce_source'),
        subject: header('ce_subject'),
        time: header('ce_time'),
        workspace: header('ce_workspace'),
        revision,
        data: JSON.parse(message.value.toString()),
      });
      remember(id);
      lastRevision.set(key, revision);
    },
  });
  const stop = () => consumer.disconnect().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`consumer failed: ${error.message}\n`);
  process.exit(1);
});
