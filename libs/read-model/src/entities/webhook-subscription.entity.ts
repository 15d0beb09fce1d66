import { Column, Entity, PrimaryColumn } from 'typeorm';
import { booleanTransformer, jsonTransformer } from './json.transformer';

/**
 * A webhook endpoint of a workspace, projected from its `webhook-<ws>.<id>` stream. `secret` is
 * the HMAC signing key (`whsec_…`), needed in clear to sign: protect the read-model database like
 * the event store. `consecutiveFailures` is the delivery worker's own bookkeeping.
 */
@Entity('webhook_subscriptions')
export class WebhookSubscriptionRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  @Column('text')
  url!: string;

  @Column({ type: 'text', name: 'event_types', transformer: jsonTransformer })
  eventTypes!: string[];

  @Column('text')
  secret!: string;

  @Column({ type: 'boolean', transformer: booleanTransformer })
  enabled!: boolean;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('integer', { name: 'consecutive_failures', default: 0 })
  consecutiveFailures!: number;

  @Column('integer')
  revision!: number;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  @Column('text', { name: 'updated_at' })
  updatedAt!: string;
}
