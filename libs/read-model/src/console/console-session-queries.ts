import { DataSource, IsNull, LessThan, type EntityManager } from 'typeorm';
import { AdminKeyRecord, ConsoleSessionRecord } from '../entities';

type Db = DataSource | EntityManager;

/** A console session with the admin key it was opened with, as the read model has it now. */
export interface ConsoleSessionWithKey {
  session: ConsoleSessionRecord;
  /** Null when the key is gone from the read model (a rebuild in progress): treated as revoked. */
  key: AdminKeyRecord | null;
}

export async function insertConsoleSession(db: Db, session: Omit<ConsoleSessionRecord, 'revokedAt'>): Promise<void> {
  await managerOf(db).insert(ConsoleSessionRecord, { ...session, revokedAt: null });
}

/** The live (not revoked) session whose secret hashes to `sha256`, and its admin key. */
export async function findConsoleSessionByDigest(db: Db, sha256: string): Promise<ConsoleSessionWithKey | null> {
  const manager = managerOf(db);
  const session = await manager.findOneBy(ConsoleSessionRecord, { secretSha256: sha256, revokedAt: IsNull() });
  if (!session) return null;
  const key = await manager.findOneBy(AdminKeyRecord, { id: session.adminKeyId, workspaceId: session.workspaceId });
  return { session, key };
}

/** Moves the idle expiry forward. */
export async function touchConsoleSession(db: Db, id: string, at: string): Promise<void> {
  await managerOf(db).update(ConsoleSessionRecord, { id, revokedAt: IsNull() }, { lastSeenAt: at });
}

export async function revokeConsoleSession(db: Db, id: string, at: string): Promise<void> {
  await managerOf(db).update(ConsoleSessionRecord, { id, revokedAt: IsNull() }, { revokedAt: at });
}

/** Deletes sessions past their absolute expiry before `before`, signed out or not; returns how many. */
export async function deleteEndedConsoleSessions(db: Db, before: string): Promise<number> {
  const result = await managerOf(db).delete(ConsoleSessionRecord, { expiresAt: LessThan(before) });
  return result.affected ?? 0;
}

function managerOf(db: Db): EntityManager {
  return db instanceof DataSource ? db.manager : db;
}
