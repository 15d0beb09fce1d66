import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { AdminKeyRecord, AdminKeyUsageRecord, ScimTokenRecord, ScimTokenUsageRecord, WorkspaceRecord } from '../entities';

type Db = DataSource | EntityManager;

/** A SCIM token as Settings → Identity → SCIM lists it: never the token, nor its digest. */
export interface ScimTokenView {
  id: string;
  prefix: string;
  description: string | null;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** An admin key as the console lists it: never the key, nor its digest. */
export interface AdminKeyView {
  id: string;
  prefix: string;
  description: string | null;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: 'active' | 'revoked';
}

export function findWorkspace(db: Db, workspaceId: string): Promise<WorkspaceRecord | null> {
  return managerOf(db).findOneBy(WorkspaceRecord, { id: workspaceId });
}

/** The token whose SHA-256 is `sha256` (revoked or not), in any workspace. */
export function findScimTokenByDigest(db: Db, sha256: string): Promise<ScimTokenRecord | null> {
  return managerOf(db).findOneBy(ScimTokenRecord, { tokenSha256: sha256 });
}

/** A live (not revoked) admin key by its SHA-256. */
export function findAdminKeyByDigest(db: Db, sha256: string): Promise<AdminKeyRecord | null> {
  return managerOf(db).findOneBy(AdminKeyRecord, { keySha256: sha256, revokedAt: IsNull() });
}

/** An admin key of the workspace by id, revoked or not. */
export function findAdminKey(db: Db, workspaceId: string, keyId: string): Promise<AdminKeyRecord | null> {
  return managerOf(db).findOneBy(AdminKeyRecord, { id: keyId, workspaceId });
}

export async function listAdminKeys(db: Db, workspaceId: string): Promise<AdminKeyView[]> {
  const manager = managerOf(db);
  const keys = await manager.find(AdminKeyRecord, { where: { workspaceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  if (keys.length === 0) return [];
  const usage = await manager
    .createQueryBuilder(AdminKeyUsageRecord, 'u')
    .where('u.key_id IN (:...ids)', { ids: keys.map((key) => key.id) })
    .getMany();
  const lastUsed = new Map(usage.map((row) => [row.keyId, row.lastUsedAt]));
  return keys.map((key) => adminKeyViewOf(key, lastUsed.get(key.id) ?? null));
}

export function adminKeyViewOf(key: AdminKeyRecord, lastUsedAt: string | null): AdminKeyView {
  return {
    id: key.id,
    prefix: key.prefix,
    description: key.description,
    createdAt: key.createdAt,
    createdBy: key.createdBy,
    lastUsedAt,
    revokedAt: key.revokedAt,
    state: key.revokedAt === null ? 'active' : 'revoked',
  };
}

/** Records that an admin key was used at `at` (an upsert; callers throttle it). */
export async function recordAdminKeyUse(db: Db, keyId: string, at: string): Promise<void> {
  await managerOf(db)
    .createQueryBuilder()
    .insert()
    .into(AdminKeyUsageRecord)
    .values({ keyId, lastUsedAt: at })
    .orUpdate(['last_used_at'], ['key_id'])
    .execute();
}

export async function listScimTokens(db: Db, workspaceId: string): Promise<ScimTokenView[]> {
  const manager = managerOf(db);
  const tokens = await manager.find(ScimTokenRecord, { where: { workspaceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  if (tokens.length === 0) return [];
  const usage = await manager
    .createQueryBuilder(ScimTokenUsageRecord, 'u')
    .where('u.token_id IN (:...ids)', { ids: tokens.map((token) => token.id) })
    .getMany();
  const lastUsed = new Map(usage.map((row) => [row.tokenId, row.lastUsedAt]));
  return tokens.map((token) => ({
    id: token.id,
    prefix: token.prefix,
    description: token.description,
    createdAt: token.createdAt,
    createdBy: token.createdBy,
    lastUsedAt: lastUsed.get(token.id) ?? null,
    revokedAt: token.revokedAt,
    revokedBy: token.revokedBy,
  }));
}

/** Records that a token was used at `at` (an upsert; callers throttle it). */
export async function recordScimTokenUse(db: Db, tokenId: string, at: string): Promise<void> {
  await managerOf(db)
    .createQueryBuilder()
    .insert()
    .into(ScimTokenUsageRecord)
    .values({ tokenId, lastUsedAt: at })
    .orUpdate(['last_used_at'], ['token_id'])
    .execute();
}

function managerOf(db: Db): EntityManager {
  return db instanceof DataSource ? db.manager : db;
}
