import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { comparePositions, type Position } from '@axis/event-store';
import { checkpointAnnouncements, checkpointsIn, metrics, READ_MODEL } from '@axis/platform';
import { findWriteMark, recordWriteMark } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { CoalescedMarks } from './coalesced-marks';
import { FreshReads } from './fresh-reads';

const MAX_WAIT_MS = 3000;
const POLL_INTERVAL_MS = 5;

interface Waiter {
  target: Position;
  deadline: number;
  resolve: () => void;
}

/**
 * Read-your-writes: remembers the position of each workspace's latest write and, before a read,
 * waits (bounded) until the projection has passed it.
 *
 * On a PostgreSQL read model, gateway replicas share their writes' positions (`write_marks`, one
 * row per workspace and tracker): a write answered by one replica is recorded there before it is
 * answered (the writes of a workspace in flight at once share one upsert, `CoalescedMarks`), and a read through any replica looks the mark up, so it waits for writes made through
 * the others too. On the embedded SQLite deployment (one process) memory is the whole record, and
 * reads that follow no write wait for nothing.
 *
 * Waiters are released the moment the projection announces the checkpoint that passes their write
 * (`checkpointAnnouncements`: in-process, across the all-in-one's threads, or NOTIFY on PostgreSQL).
 * An announcement can be missed (another process on a SQLite file, a LISTEN connection down), so
 * one loop per projection also polls its checkpoint, however many reads wait; and a write already
 * seen passed needs no query at all. (One poll per waiting request cost thousands of checkpoint
 * queries a second during an IdP's initial sync, when every lookup follows a write.)
 */
@Injectable()
export class ReadYourWrites implements OnModuleDestroy {
  /** Names this tracker's marks shared with other replicas. */
  protected readonly tracker: string = 'members';
  private readonly sharedWithReplicas: boolean;
  private readonly marks: CoalescedMarks;
  private readonly sharedMarks: FreshReads<string | null>;
  private readonly lastWrite = new Map<string, Position>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** The newest checkpoint seen per projection. */
  private readonly applied = new Map<string, Position>();
  /** Listening starts with the first read that waits: a process that never waits holds no LISTEN connection. */
  private stopListening: (() => void) | null = null;

  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {
    this.sharedWithReplicas = readModel.options.type === 'postgres';
    this.marks = new CoalescedMarks((workspaceId, position) => recordWriteMark(readModel, this.tracker, workspaceId, position));
    this.sharedMarks = new FreshReads((workspaceId) => findWriteMark(readModel, this.tracker, workspaceId));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
    this.stopListening = null;
  }

  /** Call after an append, before answering: this process remembers it at once, replicas once it resolves. */
  async recordWrite(workspaceId: string, position: Position): Promise<void> {
    const previous = this.lastWrite.get(workspaceId);
    if (!previous || comparePositions(position, previous) > 0) this.lastWrite.set(workspaceId, position);
    // The write is done whatever happens to its mark: a mark not recorded costs another replica's read its wait, not the write.
    if (this.sharedWithReplicas) await this.marks.write(workspaceId, position).catch(() => metrics.writeMarksLostTotal.inc());
  }

  /** This workspace's latest write that `projection` may not show yet — what a read now would wait for — or undefined. */
  async pendingWrite(workspaceId: string, projection: string): Promise<Position | undefined> {
    const target = await this.latestWrite(workspaceId);
    return target !== undefined && !this.hasApplied(projection, target) ? target : undefined;
  }

  /** Resolves once `projection` has applied this workspace's latest write, or after the bound. */
  async waitFor(workspaceId: string, projection: string): Promise<void> {
    await this.waitForWrite(workspaceId, projection, await this.latestWrite(workspaceId));
  }

  /** As `waitFor`, for a write the caller already looked up (`pendingWrite`): the marks are not read twice. */
  async waitForWrite(workspaceId: string, projection: string, target: Position | undefined): Promise<void> {
    if (!target) return;
    if (!this.hasApplied(projection, target)) {
      this.stopListening ??= checkpointAnnouncements(this.readModel).listen((announced, position) => this.advance(announced, position));
      await new Promise<void>((resolve) => {
        const waiting = this.waiters.get(projection);
        const waiter = { target, deadline: Date.now() + MAX_WAIT_MS, resolve };
        if (waiting) waiting.push(waiter);
        else {
          this.waiters.set(projection, [waiter]);
          void this.poll(projection);
        }
      });
    }
    if (this.lastWrite.get(workspaceId) === target && this.hasApplied(projection, target)) this.lastWrite.delete(workspaceId);
  }

  /** The latest write this process made, or on PostgreSQL any replica made, for the workspace. */
  private async latestWrite(workspaceId: string): Promise<Position | undefined> {
    const own = this.lastWrite.get(workspaceId);
    if (!this.sharedWithReplicas) return own;
    // Unreadable marks leave the read to this process's own writes, as on one replica.
    const shared = await this.sharedMarks.get(workspaceId).catch(() => null);
    if (shared === null) return own;
    return own !== undefined && comparePositions(own, shared) >= 0 ? own : shared;
  }

  private hasApplied(projection: string, target: Position): boolean {
    const applied = this.applied.get(projection);
    return applied !== undefined && comparePositions(applied, target) >= 0;
  }

  /** A newer checkpoint of `projection`: releases the waiters it passed. */
  private advance(projection: string, position: Position): void {
    if (this.hasApplied(projection, position)) return;
    this.applied.set(projection, position);
    const waiting = this.waiters.get(projection);
    if (!waiting) return;
    const still = waiting.filter((waiter) => {
      if (!this.hasApplied(projection, waiter.target)) return true;
      waiter.resolve();
      return false;
    });
    // The poll loop ends when it finds no waiter left.
    this.waiters.set(projection, still);
  }

  private async poll(projection: string): Promise<void> {
    const checkpoints = checkpointsIn(this.readModel.manager);
    for (;;) {
      const position = await checkpoints.load(projection).catch(() => null);
      if (position && !this.hasApplied(projection, position)) this.applied.set(projection, position);
      const now = Date.now();
      const waiting = this.waiters.get(projection)!;
      const still: Waiter[] = [];
      let timedOut = 0;
      for (const waiter of waiting) {
        if (this.hasApplied(projection, waiter.target)) waiter.resolve();
        else if (now >= waiter.deadline) {
          // A stalled or stopped projection must not stall the IdP's reads too: past the bound they
          // are answered from the read model as it is, and counted, so stale reads show on /metrics.
          timedOut += 1;
          waiter.resolve();
        } else still.push(waiter);
      }
      if (timedOut > 0) metrics.readYourWritesTimeoutsTotal.inc({ projection }, timedOut);
      if (still.length === 0) {
        this.waiters.delete(projection);
        return;
      }
      this.waiters.set(projection, still);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
}
