import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceStreamName, type WorkspaceCreated } from '@axis/domain';
import { type EventStore, WrongExpectedRevisionError } from '@axis/event-store';
import { randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `scim_` + 43 base62 characters (≥ 256 bits), recognisable by secret scanners. */
export function generateScimToken(): string {
  const bytes = randomBytes(43);
  let token = 'scim_';
  for (const byte of bytes) token += BASE62[byte % 62];
  return token;
}

/**
 * The embedded default's first start: a bearer token for the default workspace, kept in a
 * file only the owner can read (workspace tokens issued by the admin API replace it).
 */
export function ensureBootstrapToken(dataDir: string): { token: string; file: string; created: boolean } {
  const file = join(dataDir, 'scim-bearer-token');
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file, created: false };
  const token = generateScimToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file, created: true };
}

/** Records the default workspace once; later starts find the stream and do nothing. */
export async function ensureWorkspace(eventStore: EventStore, workspaceId: string): Promise<boolean> {
  const event: WorkspaceCreated = { type: 'TENANT_WORKSPACE_CREATED', data: { workspaceId, slug: workspaceId } };
  const eventId = randomUUID();
  try {
    await eventStore.appendToStream(
      workspaceStreamName(workspaceId),
      [
        {
          eventId,
          type: event.type,
          data: { ...event.data },
          metadata: {
            eventId,
            workspaceId,
            actor: 'operator',
            correlationId: eventId,
            causationId: eventId,
            occurredAt: new Date().toISOString(),
            dialect: 'system',
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return true;
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return false;
    throw error;
  }
}
