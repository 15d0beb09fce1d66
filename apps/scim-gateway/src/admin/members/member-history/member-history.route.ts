import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type EventMetadata, userStreamName } from '@axis/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@axis/event-store';
import { READ_MODEL } from '@axis/platform';
import { actorNames, projectedMemberRevision } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../../auth/admin.decorators';
import type { AdminPrincipal } from '../../auth/admin-key.guard';
import { summaryOf } from './member-history.summary';
import { MemberHistoryItem, MemberHistoryPage, MemberHistoryQuery } from './member-history.views';

/**
 * Settings → Members → a member → History: the member's events from the event store (its user
 * stream, which a local account keeps when the IdP's user merges into it), newest first. The cursor
 * is the revision of the oldest event shown, so a page is one bounded forward read of the stream
 * (the port reads forward only; no backward read is needed).
 */
@Controller('api/v1/workspaces/:slug/members')
@AdminApi('Members')
export class MemberHistoryRoute {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
  ) {}

  @Get(':memberId/history')
  @ApiOperation({ summary: "A member's history from the event store, newest first, each event with who or which IdP caused it" })
  @ApiOkResponse({ type: MemberHistoryPage })
  @ApiNotFoundResponse({ description: '`{error: "not_found"}`: this workspace has no events of such a member' })
  async history(@Admin() admin: AdminPrincipal, @Param('memberId') memberId: string, @Query() query: MemberHistoryQuery): Promise<MemberHistoryPage> {
    const limit = query.limit ?? 50;
    const stream = userStreamName(admin.workspaceId, memberId);
    const events = query.before === undefined ? await this.newest(stream, admin.workspaceId, memberId, limit) : await this.olderThan(stream, Number(query.before), limit);
    if (events.length === 0 && query.before === undefined) {
      throw new NotFoundException({ error: 'not_found', message: `No member ${memberId} in this workspace` });
    }
    const names = await actorNames(this.readModel, admin.workspaceId, events.map((event) => actorOf(event)));
    const oldest = events[0];
    return {
      items: events.map((event) => itemOf(event, names)).reverse(),
      nextCursor: oldest && oldest.revision > 0 ? String(oldest.revision) : null,
    };
  }

  /**
   * The last `limit` events. The member row's revision (its ETag: the stream's last revision as
   * projected) says where they start; events the projector has not reached yet come along, since
   * the read runs to the stream's end.
   */
  private async newest(stream: string, workspaceId: string, memberId: string, limit: number): Promise<RecordedEvent[]> {
    const projected = await projectedMemberRevision(this.readModel, workspaceId, memberId);
    let events = await this.eventStore.readStream(stream, { fromRevision: projected === undefined ? 0 : Math.max(0, projected + 1 - limit) });
    // A deleted member has no row; a stale or unexpected hint reads the stream from its start.
    if (events.length < limit && (events[0]?.revision ?? 1) > 0) events = await this.eventStore.readStream(stream);
    return events.slice(-limit);
  }

  private async olderThan(stream: string, before: number, limit: number): Promise<RecordedEvent[]> {
    const from = Math.max(0, before - limit);
    if (before <= from) return [];
    return this.eventStore.readStream(stream, { fromRevision: from, maxCount: before - from });
  }
}

function actorOf(event: RecordedEvent): string {
  return (event.metadata as Partial<EventMetadata>).actor ?? 'unknown';
}

function itemOf(event: RecordedEvent, names: Map<string, string>): MemberHistoryItem {
  const metadata = event.metadata as Partial<EventMetadata> & { requestId?: string };
  const actor = actorOf(event);
  const actorName = names.get(actor) ?? null;
  const dialect = metadata.dialect ?? null;
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: metadata.occurredAt ?? event.recordedAt.toISOString(),
    actor,
    actorName,
    dialect,
    requestId: metadata.requestId ?? metadata.correlationId ?? null,
    summary: summaryOf({ type: event.type, data: event.data, actor, actorName, dialect }),
    changes: changesOf(event),
  };
}

function changesOf(event: RecordedEvent): Record<string, unknown> | null {
  if (event.type === 'ACCOUNT_LOCAL_MEMBER_CREATED') {
    const { userId: _userId, ...created } = event.data;
    return created;
  }
  const value = event.type === 'ACCOUNT_SCIM_USER_UPDATED' ? event.data['changes'] : event.data['attributes'];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
