// Child process for the crash and multi-process tests: appends batches to a store until told count
// is reached (or forever), printing one JSON line per acknowledged append. Plain JS: it runs under
// plain node and loads the compiled library given in EVENT_STORE_ENTRY.
const { randomUUID } = require('node:crypto');

const { SqliteEventStore, PostgresEventStore } = require(process.env.EVENT_STORE_ENTRY);

const config = {
  sqliteFile: process.env.SQLITE_FILE,
  databaseUrl: process.env.DATABASE_URL,
  schema: process.env.SCHEMA,
  streams: Number(process.env.STREAMS ?? 4),
  batchSize: Number(process.env.BATCH_SIZE ?? 5),
  appends: Number(process.env.APPENDS ?? Infinity),
  commitDelayMs: Number(process.env.COMMIT_DELAY_MS ?? 0),
  writer: process.env.WRITER ?? 'w',
  streamPrefix: process.env.STREAM_PREFIX ?? 'crash-',
};

async function open() {
  const commitDelay = config.commitDelayMs > 0 ? { commitDelayMs: config.commitDelayMs } : {};
  if (config.sqliteFile) return SqliteEventStore.open({ filename: config.sqliteFile, busyTimeoutMs: 30000, ...commitDelay });
  return PostgresEventStore.open({ connectionString: config.databaseUrl, schema: config.schema, poolSize: 1, ...commitDelay });
}

async function main() {
  const store = await open();
  for (let i = 0; i < config.appends; i += 1) {
    const streamName = `${config.streamPrefix}${(i * 7 + config.writer.length) % config.streams}`;
    const events = Array.from({ length: config.batchSize }, (_, k) => ({
      eventId: randomUUID(),
      type: 'CrashTest',
      data: { writer: config.writer, append: i, index: k, padding: 'p'.repeat(200) },
    }));
    const result = await store.appendToStream(streamName, events, { expectedRevision: 'any' });
    process.stdout.write(
      `${JSON.stringify({ streamName, eventIds: events.map((e) => e.eventId), nextExpectedRevision: result.nextExpectedRevision })}\n`,
    );
  }
  await store.close();
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
