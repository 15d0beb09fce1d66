import { Column, Entity, PrimaryColumn } from 'typeorm';
import { booleanTransformer } from './json.transformer';

/**
 * One SCIM request of a workspace, as the request log shows it (issue 21). Written by the gateway
 * in batches — operational state, not a fact worth an event — and pruned after the retention.
 * `request_id` is the request's `X-Request-Id`, which a client may choose, so it is not the key.
 * Bodies are redacted JSON text, each capped (`truncated` says one was cut).
 */
@Entity('scim_request_log')
export class ScimRequestLogRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text', { name: 'request_id' })
  requestId!: string;

  @Column('text')
  at!: string;

  @Column('text')
  method!: string;

  @Column('text')
  path!: string;

  @Column('text', { nullable: true })
  query!: string | null;

  @Column('integer')
  status!: number;

  @Column('text', { name: 'error_code', nullable: true })
  errorCode!: string | null;

  @Column('text', { nullable: true })
  dialect!: string | null;

  @Column('integer', { name: 'latency_ms' })
  latencyMs!: number;

  @Column('text')
  operation!: string;

  @Column('text', { name: 'resource_id', nullable: true })
  resourceId!: string | null;

  /** The userName the request was about (lower-cased), so the log can be searched by it even when the user was refused. */
  @Column('text', { name: 'user_name_lc', nullable: true })
  userNameLc!: string | null;

  @Column('text', { name: 'token_prefix', nullable: true })
  tokenPrefix!: string | null;

  @Column('text', { name: 'request_body', nullable: true })
  requestBody!: string | null;

  @Column('text', { name: 'response_body', nullable: true })
  responseBody!: string | null;

  @Column({ type: 'boolean', transformer: booleanTransformer })
  truncated!: boolean;
}
