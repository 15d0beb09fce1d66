// Example downstream consumer of the notifier's topic (docs/asyncapi.yaml).
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_TOPIC=platform.scim.events node examples/kafka-consumer/consumer.js
// - Records are CloudEvents 1.0 in Kafka binary content mode; the CloudEvents SDK decodes them
//   (attributes from the ce_ headers, data from the JSON value, the record key as `partitionkey`).
// - At-least-once in, effectively-once out: an event whose id was already handled is skipped.
//   The seen-set here is in memory (bounded); a real service keeps it with its own state, in the
//   same transaction as the effect (e.g. a UNIQUE(event id) table).
// - Per-key order: Kafka keeps one partition's order and the key <workspaceId>:<resourceId> puts a
//   resource's events in one partition; eachMessage handles a partition's records one at a time.
//   The streamrevision extension lets a consumer notice anything odd (it grows by one per event of a stream).
'use strict';
const { Kafka, logLevel } = require('kafkajs');
const { Kafka: CloudEventsKafka } = require('cloudevents');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const topic = process.env.KAFKA_TOPIC || 'platform.scim.events';
const groupId = process.env.KAFKA_GROUP_ID || 'example-scim-consumer';
const MAX_REMEMBERED = 100000;

const seen = new Set(); // insertion-ordered: the oldest ids are dropped first
const lastRevision = new Map(); // key -> last streamrevision handled

function remember(id) {
  seen.add(id);
  if (seen.size > MAX_REMEMBERED) seen.delete(seen.values().next().value);
}

/** The record as a CloudEvent; kafkajs gives header values as Buffers, the SDK wants strings. */
function toCloudEvent(message) {
  const headers = {};
  for (const [name, value] of Object.entries(message.headers || {})) headers[name] = String(value);
  const value = message.value ? message.value.toString() : '';
  const event = CloudEventsKafka.toEvent({ key: message.key ? message.key.toString() : '', value, body: value, headers });
  event.validate(); // throws a ValidationError on a record that is not a valid CloudEvent
  return event;
}

async function handle(event) {
  // Your effect goes here. Keep it idempotent or transactional with the de-duplication record.
  process.stdout.write(`handled ${event.type} ${event.subject} id=${event.id} workspace=${event.workspace} revision=${event.streamrevision}\n`);
}

async function main() {
  const kafka = new Kafka({ clientId: 'example-scim-consumer', brokers, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      let event;
      try {
        event = toCloudEvent(message);
      } catch (error) {
        // Not ours to fix: log it and move on, or the partition would stall on it forever.
        process.stderr.write(`skipped a record that is not a CloudEvent (offset ${message.offset}): ${error.message}\n`);
        return;
      }
      if (seen.has(event.id)) {
        process.stdout.write(`duplicate id=${event.id}\n`); // a redelivered record: already handled
        return;
      }
      const revision = Number(event.streamrevision);
      const previous = lastRevision.get(event.partitionkey);
      if (previous !== undefined && revision <= previous) {
        process.stdout.write(`stale id=${event.id}\n`); // older than what we applied: a stale duplicate
        return;
      }
      await handle(event);
      remember(event.id);
      lastRevision.set(event.partitionkey, revision);
    },
  });
  process.stdout.write(`consuming ${topic}\n`);
  const stop = () => consumer.disconnect().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`consumer failed: ${error.message}\n`);
  process.exit(1);
});
