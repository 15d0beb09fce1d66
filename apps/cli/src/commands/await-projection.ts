import type { Position } from '@axis/event-store';
import { waitForCheckpoint } from '@axis/platform';
import { WORKSPACES_PROJECTION } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import type { Output } from '../output';

/**
 * Credentials are looked up in the read model, which the projector builds: wait until it has
 * the new event, so what we print works at once — or say why it may not yet.
 */
export async function awaitProjection(readModel: DataSource, position: Position | null, waitMs: number, output: Output): Promise<void> {
  if (!position || waitMs <= 0) return;
  if (await waitForCheckpoint(readModel, WORKSPACES_PROJECTION, position, { timeoutMs: waitMs, pollMs: 20 })) return;
  output.err(`Note: the projector has not recorded this yet (waited ${waitMs} ms); it works once the projector has caught up. Is the projector running?`);
}
