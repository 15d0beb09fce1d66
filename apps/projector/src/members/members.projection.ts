import { type EventMetadata, isUserEvent, localAttributesOf, STREAM_CATEGORY, USER_EVENT_TYPES, type UserEvent } from '@axis/domain';
import type { RecordedEvent } from '@axis/event-store';
import type { ConsumerDefinition } from '@axis/platform';
import { deleteRowsWhereIn, insertRows, MemberEmailRecord, MEMBERS_PROJECTION, memberColumnsOf, memberEmailsOf, MemberRecord, selectRowsWhereIn } from '@axis/read-model';
import type { EntityManager } from 'typeorm';

/**
 * Builds `members` and `member_emails` from the user streams. Rebuildable from history.
 *
 * A batch is applied in memory and written once: the members it touches are loaded with one query,
 * every event of the batch is folded into them (exactly as event-by-event application would), and
 * the result is written with bulk statements — deletes, one upsert of the changed rows, the emails
 * of the members whose emails changed. A replay of a long history thus costs a few statements per
 * batch rather than several per event. Reads and writes are plain SQL (`@axis/read-model`'s bulk
 * helpers): TypeORM's query builder cost more CPU than the statements themselves.
 * `testing/per-event-members.projection.ts` is the reference the spec checks this against.
 */
export const membersProjection: ConsumerDefinition = {
  name: MEMBERS_PROJECTION,
  kind: 'projection',
  filter: { streamPrefixes: [`${STREAM_CATEGORY.user}-`], eventTypes: [...USER_EVENT_TYPES] },
  batchSize: 2000,
  async handle(events, manager) {
    const userEvents = events.filter((event) => isUserEvent(event)) as Array<RecordedEvent & UserEvent>;
    if (userEvents.length === 0) return;
    const batch = await MembersBatch.load(manager, [...new Set(userEvents.map((event) => event.data.userId))]);
    for (const event of userEvents) batch.apply(event);
    await batch.flush(manager);
  },
};

interface Slot {
  /** The member as it stands after the events applied so far; null: absent (never created, or deleted). */
  row: MemberRecord | null;
  existedBefore: boolean;
  rowChanged: boolean;
  /** The member's emails as they stand now, when they were replaced in this batch. */
  emails: MemberEmailRecord[] | null;
  /** Deleted at some point of the batch: its stored row and emails go first. */
  deleted: boolean;
}

class MembersBatch {
  private constructor(private readonly slots: Map<string, Slot>) {}

  static async load(manager: EntityManager, ids: string[]): Promise<MembersBatch> {
    const slots = new Map<string, Slot>();
    for (const row of await selectRowsWhereIn(manager, MemberRecord, 'id', ids)) {
      slots.set(row.id, { row, existedBefore: true, rowChanged: false, emails: null, deleted: false });
    }
    for (const id of ids) if (!slots.has(id)) slots.set(id, { row: null, existedBefore: false, rowChanged: false, emails: null, deleted: false });
    return new MembersBatch(slots);
  }

  apply(event: RecordedEvent & UserEvent): void {
    const metadata = event.metadata as unknown as EventMetadata;
    const at = metadata.occurredAt ?? event.recordedAt.toISOString();
    const slot = this.slots.get(event.data.userId)!;
    switch (event.type) {
      case 'ACCOUNT_SCIM_USER_CREATED': {
        const { userId, attributes, active } = event.data;
        this.create(slot, {
          id: userId,
          workspaceId: metadata.workspaceId,
          ...memberColumnsOf(attributes),
          active,
          source: 'scim',
          resource: { ...attributes, active },
          revision: event.revision,
          createdAt: at,
          updatedAt: at,
        });
        slot.emails = memberEmailsOf(userId, metadata.workspaceId, attributes);
        return;
      }
      case 'ACCOUNT_LOCAL_MEMBER_CREATED': {
        const attributes = localAttributesOf(event.data);
        this.create(slot, {
          id: event.data.userId,
          workspaceId: metadata.workspaceId,
          ...memberColumnsOf(attributes),
          active: true,
          source: 'local',
          resource: { ...attributes, active: true },
          revision: event.revision,
          createdAt: at,
          updatedAt: at,
        });
        slot.emails = memberEmailsOf(event.data.userId, metadata.workspaceId, attributes);
        return;
      }
      case 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED':
        this.update(slot, { revision: event.revision, updatedAt: at });
        return;
      case 'ACCOUNT_SCIM_USER_MERGED': {
        // The local member keeps its id (and sessions) and becomes SCIM-managed. Without its row
        // there is nothing to merge, and no emails are stored for a member that has no row.
        const { userId, attributes, active } = event.data;
        if (!slot.row) return;
        this.update(slot, {
          ...memberColumnsOf(attributes),
          active,
          source: 'scim',
          resource: { ...attributes, active },
          revision: event.revision,
          updatedAt: at,
        });
        slot.emails = memberEmailsOf(userId, metadata.workspaceId, attributes);
        return;
      }
      case 'ACCOUNT_SCIM_USER_UPDATED': {
        const member = slot.row;
        if (!member) return;
        const resource = mergedWithoutNulls(member.resource, event.data.changes);
        // The indexed columns follow from the resource: derived once per row, at flush.
        this.update(slot, { resource, revision: event.revision, updatedAt: at });
        if ('emails' in event.data.changes) slot.emails = memberEmailsOf(member.id, member.workspaceId, resource);
        return;
      }
      case 'ACCOUNT_SCIM_USER_DEACTIVATED':
      case 'ACCOUNT_SCIM_USER_REACTIVATED': {
        const member = slot.row;
        if (!member) return;
        const active = event.type === 'ACCOUNT_SCIM_USER_REACTIVATED';
        this.update(slot, { active, resource: { ...member.resource, active }, revision: event.revision, updatedAt: at });
        return;
      }
      case 'ACCOUNT_SCIM_USER_DELETED':
        slot.row = null;
        slot.rowChanged = false;
        slot.emails = [];
        slot.deleted = true;
        return;
      default: {
        const unhandled: never = event;
        throw new Error(`Unhandled user event ${JSON.stringify(unhandled)}`);
      }
    }
  }

  async flush(manager: EntityManager): Promise<void> {
    const slots = [...this.slots.entries()];
    const deleted = slots.filter(([, slot]) => slot.deleted && slot.existedBefore).map(([id]) => id);
    // Emails are stored only beside their member's row, so a member absent before this batch (an
    // initial sync creates nothing else) has none to delete: no statement that finds nothing.
    const emailsReplaced = slots.filter(([, slot]) => slot.emails !== null && slot.existedBefore).map(([id]) => id);
    const changed = slots.filter(([, slot]) => slot.row !== null && slot.rowChanged).map(([, slot]) => Object.assign(slot.row!, memberColumnsOf(slot.row!.resource)));
    await deleteRowsWhereIn(manager, MemberEmailRecord, 'memberId', emailsReplaced);
    await deleteRowsWhereIn(manager, MemberRecord, 'id', deleted);
    await insertRows(manager, MemberRecord, changed, { onConflict: { updateOn: ['id'] } });
    await insertRows(manager, MemberEmailRecord, slots.flatMap(([, slot]) => slot.emails ?? []));
  }

  private create(slot: Slot, row: MemberRecord): void {
    // As the row-by-row insert would: a second create of a live member is a primary-key violation.
    if (slot.row) throw new Error(`duplicate key value violates unique constraint: member ${row.id} already exists`);
    slot.row = row;
    slot.rowChanged = true;
  }

  private update(slot: Slot, changes: Partial<MemberRecord>): void {
    if (!slot.row) return;
    // The row belongs to this batch (loaded or created by it): changed in place, not copied per event.
    Object.assign(slot.row, changes);
    slot.rowChanged = true;
  }
}

/** `{...resource, ...changes}` without its null values, in that key order, built in one pass. */
function mergedWithoutNulls(resource: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const key in resource) {
    const value = Object.hasOwn(changes, key) ? changes[key] : resource[key];
    if (value !== null) merged[key] = value;
  }
  for (const key in changes) if (!Object.hasOwn(resource, key) && changes[key] !== null) merged[key] = changes[key];
  return merged;
}
