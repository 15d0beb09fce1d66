import { Inject, Injectable } from '@nestjs/common';
import { comparePositions, type Position } from '@axis/event-store';
import { checkpointsIn, READ_MODEL } from '@axis/platform';
import type { DataSource } from 'typeorm';

const MAX_WAIT_MS = 3000;
const POLL_INTERVAL_MS = 5;

/**
 * Read-your-writes for one gateway process: remembers the position of each workspace's latest
 * write and, before a read, waits (bounded) until the projection has passed it. Reads that follow
 * no write by this process wait for nothing.
 */
@Injectable()
export class ReadYourWrites {
  private readonly lastWrite = new Map<string, Position>();

  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  recordWrite(workspaceId: string, position: Position): void {
    const previous = this.lastWrite.get(workspaceId);
    if (!previous || comparePositions(position, previous) > 0) this.lastWrite.set(workspaceId, position);
  }

  /** Resolves once `projection` has applied this workspace's latest write, or after the bound. */
  async waitFor(workspaceId: string, projection: string): Promise<void> {
    const target = this.lastWrite.get(workspaceId);
    if (!target) return;
    const checkpoints = checkpointsIn(this.readModel.manager);
    const deadline = Date.now() + MAX_WAIT_MS;
    for (;;) {
      const position = await checkpoints.load(projection);
      if (position && comparePositions(position, target) >= 0) {
        if (this.lastWrite.get(workspaceId) === target) this.lastWrite.delete(workspaceId);
        return;
      }
      if (Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
}
