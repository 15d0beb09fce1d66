import { Readable } from 'node:stream';
import { BadRequestException, Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { READ_MODEL } from '@axis/platform';
import { actorNames, exportAuditEntries, InvalidAuditCursorError, searchAuditEntries, type AuditEntryView as StoredAuditEntry, type AuditSearch } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../auth/admin.decorators';
import type { AdminPrincipal } from '../auth/admin-key.guard';
import { AUDIT_CSV_HEADER, auditCsvRow, AuditEntryView, AuditExportFormat, AuditOutcome, AuditPageView } from './audit.views';

type AuditQueryName = 'from' | 'to' | 'code' | 'target' | 'actor' | 'outcome' | 'limit' | 'cursor' | 'format';
/** As Fastify parses it: a parameter given twice is an array. */
type RawAuditQuery = Partial<Record<AuditQueryName, string | string[]>>;
type AuditQuery = Partial<Record<AuditQueryName, string>>;

function singleValued(query: RawAuditQuery): AuditQuery {
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw new BadRequestException({ error: 'invalid_request', message: `${name} may be given once (codes are comma-separated)` });
  }
  return query as AuditQuery;
}

function searchOf(workspaceId: string, query: AuditQuery): AuditSearch {
  for (const bound of ['from', 'to'] as const) {
    const value = query[bound];
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new BadRequestException({ error: 'invalid_request', message: `${bound} must be an ISO 8601 time` });
  }
  const limit = query.limit === undefined ? undefined : Number(query.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
    throw new BadRequestException({ error: 'invalid_request', message: 'limit must be an integer from 1 to 1000' });
  }
  if (query.outcome !== undefined && !Object.values<string>(AuditOutcome).includes(query.outcome)) {
    throw new BadRequestException({ error: 'invalid_request', message: 'outcome must be success or rejected' });
  }
  return {
    workspaceId,
    ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
    ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
    ...(query.code ? { codes: query.code.split(',').map((code) => code.trim()).filter(Boolean) } : {}),
    ...(query.target ? { target: query.target } : {}),
    ...(query.actor ? { actor: query.actor } : {}),
    ...(query.outcome ? { outcome: query.outcome as AuditOutcome } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  };
}

const EXPORTS: Record<AuditExportFormat, { contentType: string; file: string; start: string; end: string; entry: (entry: AuditEntryView, index: number) => string }> = {
  ndjson: { contentType: 'application/x-ndjson', file: 'audit.ndjson', start: '', end: '', entry: (entry) => `${JSON.stringify(entry)}\n` },
  csv: { contentType: 'text/csv; charset=utf-8; header=present', file: 'audit.csv', start: AUDIT_CSV_HEADER, end: '', entry: (entry) => auditCsvRow(entry) },
  json: { contentType: 'application/json', file: 'audit.json', start: '[', end: ']\n', entry: (entry, index) => `${index === 0 ? '' : ','}\n${JSON.stringify(entry)}` },
};

/** Security Console: the workspace's audit log, newest first, cursor-paginated; export as NDJSON, CSV or JSON. */
@Controller('api/v1/workspaces/:slug/audit')
@AdminApi('Audit log')
export class AuditRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Search the audit log (time range, code with * patterns, target, actor, outcome), newest first' })
  @ApiQuery({ name: 'from', required: false, description: 'Inclusive, ISO 8601' })
  @ApiQuery({ name: 'to', required: false, description: 'Exclusive, ISO 8601' })
  @ApiQuery({ name: 'code', required: false, description: 'Comma-separated codes or patterns, e.g. ACCOUNT_SCIM_USER_*,SCIM_*' })
  @ApiQuery({ name: 'target', required: false, description: 'Member/group/token id (a member id filters by member), externalId or userName' })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'outcome', required: false, enum: AuditOutcome, enumName: 'AuditOutcome', description: 'rejected: refused SCIM requests (SCIM_* codes)' })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ type: AuditPageView })
  async search(@Admin() admin: AdminPrincipal, @Query() rawQuery: RawAuditQuery): Promise<AuditPageView> {
    const query = singleValued(rawQuery);
    try {
      const page = await searchAuditEntries(this.readModel, searchOf(admin.workspaceId, query));
      return { entries: await this.named(admin.workspaceId, page.entries, new Map()), nextCursor: page.nextCursor };
    } catch (error) {
      if (error instanceof InvalidAuditCursorError) throw new BadRequestException({ error: 'invalid_request', message: 'invalid cursor' });
      throw error;
    }
  }

  @Get('export')
  @ApiOperation({ summary: 'Every matching entry, newest first, streamed: NDJSON (default), CSV with a header row, or a JSON array' })
  @ApiQuery({ name: 'format', required: false, enum: AuditExportFormat, enumName: 'AuditExportFormat', description: 'Default ndjson' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'target', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'outcome', required: false, enum: AuditOutcome, enumName: 'AuditOutcome' })
  @ApiProduces('application/x-ndjson', 'text/csv', 'application/json')
  @ApiOkResponse({ description: 'The entries (AuditEntryView) as an attachment' })
  async export(@Admin() admin: AdminPrincipal, @Query() rawQuery: RawAuditQuery, @Res() reply: FastifyReply): Promise<void> {
    const query = singleValued(rawQuery);
    const format = query.format ?? AuditExportFormat.ndjson;
    if (!Object.values<string>(AuditExportFormat).includes(format)) {
      throw new BadRequestException({ error: 'invalid_request', message: 'format must be ndjson, csv or json' });
    }
    const shape = EXPORTS[format as AuditExportFormat];
    const search = searchOf(admin.workspaceId, query);
    const named = (entries: StoredAuditEntry[], names: Map<string, string | null>) => this.named(admin.workspaceId, entries, names);
    const chunks = Readable.from(
      (async function* (readModel: DataSource) {
        if (shape.start) yield shape.start;
        const names = new Map<string, string | null>();
        let index = 0;
        let batch: StoredAuditEntry[] = [];
        const flush = async function* () {
          for (const entry of await named(batch, names)) yield shape.entry(entry, index++);
          batch = [];
        };
        for await (const entry of exportAuditEntries(readModel, search)) {
          batch.push(entry);
          if (batch.length === 500) yield* flush();
        }
        yield* flush();
        if (shape.end) yield shape.end;
      })(this.readModel),
    );
    await reply.header('content-type', shape.contentType).header('content-disposition', `attachment; filename="${shape.file}"`).send(chunks);
  }

  /** Entries with their actors' names; `known` caches names across an export's batches. */
  private async named(workspaceId: string, entries: StoredAuditEntry[], known: Map<string, string | null>): Promise<AuditEntryView[]> {
    const unknown = [...new Set(entries.map((entry) => entry.actor))].filter((actor) => !known.has(actor));
    if (unknown.length > 0) {
      const found = await actorNames(this.readModel, workspaceId, unknown);
      for (const actor of unknown) known.set(actor, found.get(actor) ?? null);
    }
    return entries.map((entry) => ({ ...entry, actorName: known.get(entry.actor) ?? null }));
  }
}
