import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { MemberRecord, SessionRecord } from '../entities';

type Db = DataSource | EntityManager;

export interface SessionView {
  id: string;
  memberId: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
}

export interface IntrospectedSession {
  session: SessionView;
  workspaceId: string;
  member: { id: string; userName: string; displayName: string | null; externalId: string | null; active: boolean } | null;
}

export async function insertSession(db: Db, session: Omit<SessionRecord, 'revokedAt' | 'revokedReason'>): Promise<void> {
  await managerOf(db).insert(SessionRecord, { ...session, revokedAt: null, revokedReason: null });
}

/** The session whose token hashes to `sha256`, with its member as the read model has it now. */
export async function findSessionByDigest(db: Db, sha256: string): Promise<IntrospectedSession | null> {
  const manager = managerOf(db);
  const session = await manager.findOneBy(SessionRecord, { tokenSha256: sha256 });
  if (!session) return null;
  const member = await manager.findOneBy(MemberRecord, { id: session.memberId, workspaceId: session.workspaceId });
  return {
    session: toSessionView(session),
    workspaceId: session.workspaceId,
    member: member
      ? { id: member.id, userName: member.userName, displayName: member.displayName, externalId: member.externalId, active: member.active }
      : null,
  };
}

export async function listMemberSessions(db: Db, workspaceId: string, memberId: string): Promise<SessionView[]> {
  const sessions = await managerOf(db).find(SessionRecord, { where: { workspaceId, memberId }, order: { createdAt: 'DESC', id: 'ASC' } });
  return sessions.map(toSessionView);
}

/** Revokes every live session of a member; returns how many were live. */
export async function revokeMemberSessions(db: Db, memberId: string, at: string, reason: string): Promise<number> {
  const result = await managerOf(db).update(SessionRecord, { memberId, revokedAt: IsNull() }, { revokedAt: at, revokedReason: reason });
  return result.affected ?? 0;
}

function toSessionView(session: SessionRecord): SessionView {
  return {
    id: session.id,
    memberId: session.memberId,
    prefix: session.prefix,
    createdAt: session.createdAt,
    revokedAt: session.revokedAt,
    revokedReason: session.revokedReason,
  };
}

function managerOf(db: Db): EntityManager {
  return db instanceof DataSource ? db.manager : db;
}
