import { type BeforeApplicationShutdown, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, LOGGER, type Logger, metrics, READ_MODEL } from '@axis/platform';
import { insertScimRequestLog, pruneScimRequestLog, type ScimRequestLogEntry } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../gateway.config';
import { RejectionRecorder } from '../rejections/rejection-recorder';
import { type FinishedScimRequest, toLogRow } from './request-log-entry';
import { BatchWriter } from './request-log-writer';

/** Ten batches: a quarter of a second of a busy IdP's traffic, or a write stalled a few seconds. */
const QUEUE_CAPACITY = 5000;
const BATCH_SIZE = 500;
const FLUSH_INTERVAL_MS = 250;
const PRUNE_BATCH = 1000;

interface Queued {
  row: ScimRequestLogEntry;
  /** A refused request names its workspace itself: logged only if that workspace exists. */
  verifyWorkspace: boolean;
}

/**
 * The SCIM request log of the gateway process: requests go into a bounded queue (see
 * `BatchWriter`) and reach `scim_request_log` in multi-row INSERTs; rows past the retention are
 * deleted in batches every prune interval. The gateway writes this read-model table itself — like
 * `scim_token_usage` and `sessions`, operational state no projection owns.
 */
@Injectable()
export class ScimRequestLog implements OnModuleInit, BeforeApplicationShutdown {
  readonly enabled: boolean;
  private readonly writer: BatchWriter<Queued>;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<number> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rejections: RejectionRecorder,
  ) {
    this.enabled = config.scimRequestLog();
    this.writer = new BatchWriter<Queued>({
      capacity: QUEUE_CAPACITY,
      batchSize: BATCH_SIZE,
      intervalMs: FLUSH_INTERVAL_MS,
      write: (batch) => this.write(batch),
      onDropped: (reason, count, error) => {
        metrics.scimRequestLogDroppedTotal.inc({ reason }, count);
        if (error !== undefined) this.logger.warn({ error: error instanceof Error ? error.message : String(error), count }, 'could not write SCIM request log entries');
      },
    });
  }

  onModuleInit(): void {
    if (this.enabled) this.writer.start();
    // Pruning runs even with the log off: rows written while it was on still expire.
    this.pruneTimer = setInterval(() => void this.prune(), this.config.SCIM_REQUEST_LOG_PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.writer.close();
    await this.pruning;
  }

  /** Queues a finished request (never waits, never throws). */
  record(request: Omit<FinishedScimRequest, 'id'>, verifyWorkspace: boolean): void {
    if (!this.enabled) return;
    let row: ScimRequestLogEntry;
    try {
      row = toLogRow({ ...request, id: randomUUID() });
    } catch (error) {
      metrics.scimRequestLogDroppedTotal.inc({ reason: 'unreadable' });
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not log a SCIM request');
      return;
    }
    this.writer.enqueue({ row, verifyWorkspace });
  }

  /** Writes what is queued now (tests, shutdown). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Deletes rows older than the retention, batch by batch; resolves with how many. */
  prune(now = new Date()): Promise<number> {
    this.pruning ??= this.pruneBefore(new Date(now.getTime() - this.config.SCIM_REQUEST_LOG_RETENTION_DAYS * 86_400_000).toISOString()).finally(() => {
      this.pruning = undefined;
    });
    return this.pruning;
  }

  private async pruneBefore(cutoff: string): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const deleted = await pruneScimRequestLog(this.readModel, cutoff, PRUNE_BATCH);
        total += deleted;
        if (deleted < PRUNE_BATCH) break;
        // Lets requests and the log's own batches in between two deletions.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not prune the SCIM request log');
    }
    if (total > 0) this.logger.info({ deleted: total, before: cutoff }, 'pruned the SCIM request log');
    return total;
  }

  private async write(batch: Queued[]): Promise<void> {
    const rows: ScimRequestLogEntry[] = [];
    for (const { row, verifyWorkspace } of batch) {
      if (!verifyWorkspace || (await this.rejections.workspaceExists(row.workspaceId))) rows.push(row);
    }
    await insertScimRequestLog(this.readModel, rows);
    metrics.scimRequestLogWrittenTotal.inc(rows.length);
  }
}
