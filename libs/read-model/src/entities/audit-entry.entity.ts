import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonTransformer } from './json.transformer';

/** One line of the Security Console: a domain event or a rejected SCIM operation. */
@Entity('audit_entries')
@Index('audit_entries_workspace_time', ['workspaceId', 'occurredAt'])
export class AuditEntryRecord {
  /** The event id: a redelivered event maps onto the same entry. */
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text')
  code!: string;

  @Column('text', { name: 'occurred_at' })
  occurredAt!: string;

  @Column('text')
  actor!: string;

  @Column('text', { name: 'target_id', nullable: true })
  targetId!: string | null;

  @Column('text', { name: 'target_external_id', nullable: true })
  targetExternalId!: string | null;

  @Column('text', { name: 'target_user_name', nullable: true })
  targetUserName!: string | null;

  @Column('text')
  dialect!: string;

  @Column('text', { name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text', transformer: jsonTransformer })
  details!: Record<string, unknown>;

  @Column('text', { nullable: true })
  position!: string | null;
}
