import type { Position } from '@axis/event-store';
import { type ConsumerStateRow, consumerStates, inReadModelTransaction, LAG_COUNT_BOUND, listCheckpoints, measureConsumerLag, setCheckpoint } from '@axis/platform';
import { OPERATOR_EVENT_TYPES, recordOperatorAction } from '@axis/write';
import { CliError, type Output } from '../output';
import type { Stores } from '../stores';

export interface ConsumerStatus {
  name: string;
  kind: string;
  state: string;
  checkpoint: Position | null;
  head: Position | null;
  lagEvents: number;
  /** True when the lag count stopped at its bound (LAG_COUNT_BOUND): "at least". */
  lagCapped: boolean;
  lagSeconds: number;
  /** When the checkpoint last moved (`projection_checkpoints.updated_at`). */
  lastProcessedAt: string | null;
  failedEventId: string | null;
  failedPosition: Position | null;
  error: string | null;
  /**
   * The process applying its batches (`host:pid`) and since when: the holder of its role's lease on
   * PostgreSQL, null on SQLite or after that process stopped cleanly. A killed holder stays named
   * until a standby takes over (seconds).
   */
  heldBy: string | null;
  heldSince: string | null;
}

const POSITION = /^\d{20}(:\d{20})*$/;
const OPERATOR = 'operator';

/** Every consumer known by its state row or its checkpoint. */
export async function collectStatus(stores: Stores): Promise<ConsumerStatus[]> {
  const [rows, checkpoints, head] = await Promise.all([
    consumerStates.list(stores.readModel),
    listCheckpoints(stores.readModel),
    stores.eventStore.headPosition(),
  ]);
  const names = [...new Set([...rows.map((row) => row.consumer), ...checkpoints.map((checkpoint) => checkpoint.consumer)])].sort();
  return Promise.all(
    names.map(async (name) => {
      const row = rows.find((candidate) => candidate.consumer === name);
      const checkpoint = checkpoints.find((candidate) => candidate.consumer === name);
      const lag = await measureConsumerLag(stores.eventStore, checkpoint?.position ?? null, row?.filter ?? undefined);
      return {
        name,
        kind: row?.kind ?? 'unknown',
        state: row?.state ?? 'running',
        checkpoint: checkpoint?.position ?? null,
        head,
        lagEvents: lag.events,
        lagCapped: lag.capped,
        lagSeconds: Math.round(lag.seconds * 10) / 10,
        lastProcessedAt: checkpoint?.updatedAt ?? null,
        failedEventId: row?.failedEventId ?? null,
        failedPosition: row?.failedPosition ?? null,
        error: row?.failedError ?? null,
        heldBy: row?.heldBy ?? null,
        heldSince: row?.heldSince ?? null,
      };
    }),
  );
}

/** `projections status [--json]`. */
export async function projectionsStatus(options: { json: boolean }, stores: Stores, output: Output): Promise<void> {
  const statuses = await collectStatus(stores);
  if (options.json) {
    output.out(JSON.stringify({ head: statuses[0]?.head ?? (await stores.eventStore.headPosition()), lagCountBound: LAG_COUNT_BOUND, consumers: statuses }));
    return;
  }
  const head = statuses[0]?.head ?? (await stores.eventStore.headPosition());
  output.out(`head: ${head ?? '(no events)'}`);
  const table = [
    ['NAME', 'KIND', 'STATE', 'CHECKPOINT', 'LAG', 'LAG(s)', 'LAST PROCESSED', 'HELD BY'],
    ...statuses.map((status) => [
      status.name,
      status.kind,
      status.state,
      status.checkpoint ?? '-',
      `${status.lagCapped ? '>=' : ''}${status.lagEvents}`,
      String(status.lagSeconds),
      status.lastProcessedAt ?? '-',
      status.heldBy ? `${status.heldBy} since ${status.heldSince ?? '?'}` : '-',
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  for (const line of table) output.out(line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  for (const status of statuses.filter((candidate) => candidate.state === 'failed')) {
    output.out(`${status.name} FAILED on event ${status.failedEventId} (position ${status.failedPosition}): ${status.error}`);
    output.out(`  skip it: axis projections skip ${status.name} --event ${status.failedEventId}   retry it: axis projections resume ${status.name}`);
  }
}

async function requireConsumer(stores: Stores, name: string): Promise<ConsumerStateRow> {
  const row = await consumerStates.load(stores.readModel, name);
  if (!row) {
    const known = (await consumerStates.list(stores.readModel)).map((candidate) => candidate.consumer);
    throw new CliError(`no consumer named ${name} (known: ${known.join(', ') || 'none yet: start the projector and the notifier once'})`);
  }
  return row;
}

/** `projections pause|resume <name>`: the consumer polls its state (about every second). */
export async function setConsumerRunning(name: string, running: boolean, stores: Stores, output: Output): Promise<void> {
  const row = await requireConsumer(stores, name);
  const state = running ? 'running' : 'paused';
  await consumerStates.setState(stores.readModel, name, state, OPERATOR);
  await recordOperatorAction(stores.eventStore, {
    type: running ? OPERATOR_EVENT_TYPES.resumed : OPERATOR_EVENT_TYPES.paused,
    actor: OPERATOR,
    data: { consumer: name, previousState: row.state, ...(row.failedEventId ? { failedEventId: row.failedEventId } : {}) },
  });
  output.out(`${name}: ${row.state} -> ${state}${running && row.state === 'failed' ? ` (retrying event ${row.failedEventId})` : ''}`);
}

/**
 * `projections skip <name> --event <id>`: moves a failed consumer past its poison event — the
 * checkpoint set to that event's position in the same read-model transaction that clears the
 * failure — and records it in the audit log.
 */
export async function skipEvent(name: string, eventId: string, stores: Stores, output: Output): Promise<void> {
  const skipped = await inReadModelTransaction(stores.readModel, async (manager) => {
    const row = await consumerStates.load(manager, name);
    if (!row) throw new CliError(`no consumer named ${name}`);
    if (row.state !== 'failed' || !row.failedPosition) throw new CliError(`${name} is ${row.state}, not failed: nothing to skip`);
    if (row.failedEventId !== eventId.toLowerCase()) {
      throw new CliError(`${name} failed on event ${row.failedEventId}, not ${eventId}: only the failing event can be skipped`);
    }
    await setCheckpoint(manager, name, row.failedPosition);
    await consumerStates.setState(manager, name, 'running', OPERATOR);
    return row;
  });
  await recordOperatorAction(stores.eventStore, {
    type: OPERATOR_EVENT_TYPES.skipped,
    actor: OPERATOR,
    data: { consumer: name, skippedEventId: eventId, skippedPosition: skipped.failedPosition, error: (skipped.failedError ?? '').slice(0, 500) },
  });
  output.out(`${name}: skipped event ${eventId} at ${skipped.failedPosition}; it resumes with the next event.`);
}

/**
 * `reactors reset <name> --to now|<position> --yes`: moves a reactor's checkpoint (forward to skip
 * history, back to redeliver it). Projections are rebuilt with `projections replay` instead.
 */
export async function resetReactor(name: string, to: string, confirmed: boolean, stores: Stores, output: Output): Promise<void> {
  const row = await requireConsumer(stores, name);
  if (row.kind !== 'reactor') throw new CliError(`${name} is a ${row.kind}, not a reactor: rebuild a projection with axis projections replay ${name}`);
  let position: Position;
  if (to === 'now') {
    const head = await stores.eventStore.headPosition();
    if (!head) throw new CliError('the event store is empty: nothing to reset to');
    position = head;
  } else if (POSITION.test(to)) {
    position = to;
  } else {
    throw new CliError(`--to must be "now" or a position (${'0'.repeat(20)} …), not ${to}`);
  }
  const previous = (await listCheckpoints(stores.readModel)).find((checkpoint) => checkpoint.consumer === name)?.position ?? null;
  if (!confirmed) {
    output.err(`would move ${name} from ${previous ?? '(start)'} to ${position}; repeat with --yes to do it`);
    throw new CliError('not confirmed: add --yes');
  }
  await inReadModelTransaction(stores.readModel, (manager) => setCheckpoint(manager, name, position));
  await recordOperatorAction(stores.eventStore, {
    type: OPERATOR_EVENT_TYPES.reset,
    actor: OPERATOR,
    data: { consumer: name, from: previous, to: position },
  });
  output.out(`${name}: checkpoint ${previous ?? '(start)'} -> ${position}`);
}
