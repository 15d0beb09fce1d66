import { Inject, Injectable } from '@nestjs/common';
import { comparePositions, type Position } from '@axis/event-store';
import { checkpointsIn, metrics, READ_MODEL } from '@axis/platform';
import type { DataSource } from 'typeorm';

const MAX_WAIT_MS = 3000;
const POLL_INTERVAL_MS = 5;

interface Waiter {
  target: Position;
  deadline: number;
  resolve: () => void;
}

/**
 * Read-your-writes for one gateway process: remembers the position of each workspace's latest
 * write and, before a read, waits (bounded) until the projection has passed it. Reads that follow
 * no write by this process wait for nothing.
 *
 * However many reads wait, one loop per projection polls its checkpoint and releases every waiter
 * it has passed; and a write the last poll already saw passed needs no query at all. (One poll per
 * waiting request cost thousands of checkpoint queries a second during an IdP's initial sync, when
 * every lookup follows a write.)
 */
@Injectable()
export class ReadYourWrites {
  private readonly lastWrite = new Map<string, Position>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** The newest checkpoint seen per projection. */
  private readonly applied = new Map<string, Position>();

  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  recordWrite(workspaceId: string, position: Position): void {
    const previous = this.lastWrite.get(workspaceId);
    if (!previous || comparePositions(position, previous) > 0) this.lastWrite.set(workspaceId, position);
  }

  /** Resolves once `projection` has applied this workspace's latest write, or after the bound. */
  async waitFor(workspaceId: string, projection: string): Promise<void> {
    const target = this.lastWrite.get(workspaceId);
    if (!target) return;
    if (!this.hasApplied(projection, target)) {
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

  private hasApplied(projection: string, target: Position): boolean {
    const applied = this.applied.get(projection);
    return applied !== undefined && comparePositions(applied, target) >= 0;
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
