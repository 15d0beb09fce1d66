import 'reflect-metadata';
import { loadConfigOrExit } from '@axis/config';
import { createEventStore } from '@axis/event-store';
import { replayProjection, type ReplayProgress, ReplayRefusedError } from '@axis/platform';
import { OPERATOR_EVENT_TYPES, recordOperatorAction } from '@axis/write';
import { openReadModel } from '@axis/read-model';
import { ProjectorConfig } from './projector.config';
import { REPLAYABLE } from './replay-targets';
import { parseReplayArgs, type ReplayArgs } from './replay-args';


/**
 * `axis projections replay <name>` runs this (the projection code lives in the projector):
 * `node apps/projector/dist/replay.js <name> [--grace-seconds N] [--drop-old-now]`.
 * Progress goes to stderr (a bar on a TTY, lines otherwise); the summary to stdout as one JSON line.
 */
async function main(argv: string[]): Promise<number> {
  let args: ReplayArgs;
  try {
    args = parseReplayArgs(argv);
  } catch (error) {
    process.stderr.write(`axis: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const { name, graceSeconds } = args;
  const target = REPLAYABLE[name];
  if (!target) {
    process.stderr.write(`axis: cannot replay ${name}: replayable projections are ${Object.keys(REPLAYABLE).join(', ')}\n`);
    return 1;
  }
  const config = loadConfigOrExit(ProjectorConfig);
  const eventStore = await createEventStore({ url: config.eventStoreUrl(), schema: config.EVENT_STORE_SCHEMA });
  const readModel = await openReadModel({ url: config.readModelUrl(), schema: config.READ_MODEL_SCHEMA, poolSize: 3 });
  try {
    const result = await replayProjection({
      eventStore,
      readModel,
      readModelUrl: config.readModelUrl(),
      schema: config.READ_MODEL_SCHEMA,
      projection: target.projection,
      tables: target.tables,
      ...(target.indexesAfterLoad ? { indexesAfterLoad: true } : {}),
      graceMs: graceSeconds * 1000,
      onProgress: progressPrinter(name!),
    });
    await recordOperatorAction(eventStore, {
      type: OPERATOR_EVENT_TYPES.replayed,
      actor: 'operator',
      data: { consumer: name!, events: result.events, position: result.position, seconds: Math.round(result.seconds) },
    });
    process.stdout.write(`${JSON.stringify({ projection: name, ...result })}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`axis: replay of ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof ReplayRefusedError ? 2 : 1;
  } finally {
    await eventStore.close();
    await readModel.destroy();
  }
}

function progressPrinter(name: string): (progress: ReplayProgress) => void {
  const tty = process.stderr.isTTY === true;
  return (progress) => {
    const rate = Math.round(progress.eventsPerSecond);
    const eta = progress.etaSeconds === null ? '?' : `${Math.ceil(progress.etaSeconds)}s`;
    if (progress.phase === 'counting') return void process.stderr.write(`${name}: counting events…\n`);
    if (progress.phase === 'switched') {
      if (tty) process.stderr.write('\n');
      return void process.stderr.write(`${name}: switched to the rebuilt tables (${progress.done} events)\n`);
    }
    const text = `${name}: ${progress.phase} ${progress.done}/${progress.total} events, ${rate} events/s, ETA ${eta}`;
    if (!tty) return void process.stderr.write(`${text}\n`);
    const width = 30;
    const filled = progress.total > 0 ? Math.round((progress.done / progress.total) * width) : 0;
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}   `);
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`axis: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
