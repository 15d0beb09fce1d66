import { Readable } from 'node:stream';
import { BadRequestException, Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { READ_MODEL } from '@axis/platform';
import { exportAuditEntries, InvalidAuditCursorError, searchAuditEntries, type AuditPage, type AuditSearch } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../auth/admin.decorators';
import type { AdminPrincipal } from '../auth/admin-key.guard';

type AuditQuery = Partial<Record<'from' | 'to' | 'code' | 'target' | 'actor' | 'limit' | 'cursor', string>>;

function searchOf(workspaceId: string, query: AuditQuery): AuditSearch {
  for (const bound of ['from', 'to'] as const) {
    const value = query[bound];
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new BadRequestException({ error: 'invalid_request', message: `${bound} must be an ISO 8601 time` });
  }
  const limit = query.limit === undefined ? undefined : Number(query.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
    throw new BadRequestException({ error: 'invalid_request', message: 'limit must be an integer from 1 to 1000' });
  }
  return {
    workspaceId,
    ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
    ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
    ...(query.code ? { codes: query.code.split(',').map((code) => code.trim()).filter(Boolean) } : {}),
    ...(query.target ? { target: query.target } : {}),
    ...(query.actor ? { actor: query.actor } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  };
}

/** Security Console: the workspace's audit log, newest first, cursor-paginated; NDJSON export. */
@Controller('api/v1/workspaces/:slug/audit')
@AdminApi('Audit log')
export class AuditRoute {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Search the audit log (time range, code with * patterns, target, actor), newest first' })
  @ApiQuery({ name: 'from', required: false, description: 'Inclusive, ISO 8601' })
  @ApiQuery({ name: 'to', required: false, description: 'Exclusive, ISO 8601' })
  @ApiQuery({ name: 'code', required: false, description: 'Comma-separated codes or patterns, e.g. ACCOUNT_SCIM_USER_*,SCIM_*' })
  @ApiQuery({ name: 'target', required: false, description: 'Member/group/token id, externalId or userName' })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  async search(@Admin() admin: AdminPrincipal, @Query() query: AuditQuery): Promise<AuditPage> {
    try {
      return await searchAuditEntries(this.readModel, searchOf(admin.workspaceId, query));
    } catch (error) {
      if (error instanceof InvalidAuditCursorError) throw new BadRequestException({ error: 'invalid_request', message: 'invalid cursor' });
      throw error;
    }
  }

  @Get('export')
  @ApiOperation({ summary: 'Every matching entry as NDJSON (application/x-ndjson), newest first' })
  async export(@Admin() admin: AdminPrincipal, @Query() query: AuditQuery, @Res() reply: FastifyReply): Promise<void> {
    const search = searchOf(admin.workspaceId, query);
    const lines = Readable.from(
      (async function* (readModel: DataSource) {
        for await (const entry of exportAuditEntries(readModel, search)) yield `${JSON.stringify(entry)}\n`;
      })(this.readModel),
    );
    await reply.header('content-type', 'application/x-ndjson').header('content-disposition', 'attachment; filename="audit.ndjson"').send(lines);
  }
}
