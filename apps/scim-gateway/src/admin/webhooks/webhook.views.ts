import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The webhook routes' bodies as the OpenAPI document describes them. The route still parses its
 * body by hand (its messages name the field); these classes exist so the document, and the
 * console's client generated from it, know the shapes.
 */
export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/hooks/axis', description: 'Public https URL (private targets are refused unless allowed)' })
  url!: string;

  @ApiProperty({ type: [String], example: ['platform.scim.*'], description: 'Event type patterns' })
  eventTypes!: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  description?: string | null;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  url?: string;

  @ApiPropertyOptional({ type: [String] })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: 'false stops deliveries; true resumes the pending ones' })
  enabled?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  description?: string | null;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  workspaceId!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ type: [String] })
  eventTypes!: string[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Why the notifier disabled it (too many failures in a row)' })
  disabledReason!: string | null;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty()
  consecutiveFailures!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** The one response that ever contains the signing secret. */
export class CreatedWebhookView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ type: [String] })
  eventTypes!: string[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ example: 'whsec_…', description: 'The signing secret (Standard Webhooks). Shown once: no API ever returns it again' })
  secret!: string;
}

export class UpdatedWebhook {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: [true] })
  updated!: true;
}

export class WebhookDeliveryAttemptView {
  @ApiProperty()
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  attemptedAt!: string;

  @ApiProperty({ type: Number, nullable: true })
  statusCode!: number | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty()
  durationMs!: number;
}

export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty()
  eventId!: string;

  @ApiProperty({ example: 'platform.scim.user.created' })
  eventType!: string;

  @ApiProperty({ example: 'delivered', description: 'pending, delivered, dead or cancelled' })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  lastStatusCode!: number | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: string | null;

  @ApiProperty({ type: [WebhookDeliveryAttemptView], description: 'Attempts, oldest first' })
  log!: WebhookDeliveryAttemptView[];
}

export class RedeliveryAccepted {
  @ApiProperty({ format: 'uuid' })
  deliveryId!: string;

  @ApiProperty({ enum: [true] })
  accepted!: true;
}
