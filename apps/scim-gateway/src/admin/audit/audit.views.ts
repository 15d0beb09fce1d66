import { ApiProperty } from '@nestjs/swagger';

export enum AuditOutcome {
  success = 'success',
  rejected = 'rejected',
}

export enum AuditExportFormat {
  ndjson = 'ndjson',
  csv = 'csv',
  json = 'json',
}

export class AuditTargetView {
  @ApiProperty({ type: String, nullable: true, description: 'Member, group, token … id' })
  id!: string | null;

  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  userName!: string | null;
}

export class AuditEntryView {
  @ApiProperty({ description: 'The event id' })
  id!: string;

  @ApiProperty()
  workspaceId!: string;

  @ApiProperty({ example: 'ACCOUNT_SCIM_USER_CREATED', description: 'Event type or rejection code (SCIM_*)' })
  code!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ example: 'admin:adm_AbCd1234' })
  actor!: string;

  @ApiProperty({ type: String, nullable: true, description: "The admin key's or SCIM token's description, when it has one" })
  actorName!: string | null;

  @ApiProperty({ type: AuditTargetView })
  target!: AuditTargetView;

  @ApiProperty({ example: 'okta' })
  dialect!: string;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Facts of the event or rejection (never secrets nor attribute values)' })
  details!: Record<string, unknown>;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEntryView], description: 'Newest first' })
  entries!: AuditEntryView[];

  @ApiProperty({ type: String, nullable: true, description: 'Opaque; null on the last page' })
  nextCursor!: string | null;
}

const CSV_COLUMNS = ['id', 'occurredAt', 'code', 'actor', 'actorName', 'targetId', 'targetExternalId', 'targetUserName', 'dialect', 'requestId', 'details'] as const;

/** The CSV export's header row (RFC 4180: CRLF line ends). */
export const AUDIT_CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** One CSV record; `details` as JSON in one field. */
export function auditCsvRow(entry: AuditEntryView): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string | null> = {
    id: entry.id,
    occurredAt: entry.occurredAt,
    code: entry.code,
    actor: entry.actor,
    actorName: entry.actorName,
    targetId: entry.target.id,
    targetExternalId: entry.target.externalId,
    targetUserName: entry.target.userName,
    dialect: entry.dialect,
    requestId: entry.requestId,
    details: JSON.stringify(entry.details),
  };
  return `${CSV_COLUMNS.map((column) => csvField(values[column])).join(',')}\r\n`;
}

/** RFC 4180 §2: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
