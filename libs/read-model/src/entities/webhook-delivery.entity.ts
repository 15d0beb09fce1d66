import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** One event for one subscription: queued by the webhooks reactor, sent by the delivery worker. */
@Entity('webhook_deliveries')
export class WebhookDeliveryRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'subscription_id' })
  subscriptionId!: string;

  @Column('text', { name: 'workspace_id' })
  workspaceId!: string;

  /** Also the `webhook-id` header: a receiver recognises a retry by it. */
  @Column('text', { name: 'event_id' })
  eventId!: string;

  @Column('text', { name: 'event_type' })
  eventType!: string;

  /** The exact JSON body sent (and signed) on every attempt. */
  @Column('text')
  payload!: string;

  @Column('text')
  status!: WebhookDeliveryStatus;

  /** Attempts made so far, over the delivery's whole life (the attempt log's numbering). */
  @Column('integer')
  attempts!: number;

  /** `attempts` when the last redelivery was requested: the retry schedule restarts there. */
  @Column('integer', { name: 'redelivery_base', default: 0 })
  redeliveryBase!: number;

  /** The redelivery request applied last, so a replayed request is not applied twice. */
  @Column('text', { name: 'redelivery_event_id', nullable: true })
  redeliveryEventId!: string | null;

  /** ISO time of the next try; while an attempt runs, its lease expiry. */
  @Column('text', { name: 'next_attempt_at' })
  nextAttemptAt!: string;

  @Column('integer', { name: 'last_status_code', nullable: true })
  lastStatusCode!: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('text', { name: 'created_at' })
  createdAt!: string;

  @Column('text', { name: 'updated_at' })
  updatedAt!: string;

  @Column('text', { name: 'delivered_at', nullable: true })
  deliveredAt!: string | null;

  @Column('text', { nullable: true })
  position!: string | null;
}

/** The delivery log: one row per HTTP attempt. */
@Entity('webhook_delivery_attempts')
export class WebhookDeliveryAttemptRecord {
  @PrimaryColumn('text', { name: 'delivery_id' })
  deliveryId!: string;

  @PrimaryColumn('integer')
  attempt!: number;

  @Column('text', { name: 'subscription_id' })
  subscriptionId!: string;

  @Column('text', { name: 'attempted_at' })
  attemptedAt!: string;

  @Column('integer', { name: 'status_code', nullable: true })
  statusCode!: number | null;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('integer', { name: 'duration_ms' })
  durationMs!: number;
}
