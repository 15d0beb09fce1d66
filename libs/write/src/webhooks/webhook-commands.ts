import { randomBytes, randomUUID } from 'node:crypto';
import {
  webhookDecider,
  webhookStreamName,
  type WebhookCommand,
  type WebhookState,
} from '@axis/domain';
import type { EventStore } from '@axis/event-store';
import { decideAndAppend } from '../decide-and-append';
import type { WriteContext } from '../write-context';
import { resolveWebhookTarget } from './webhook-target.guard';

export interface CreateWebhookInput {
  url: string;
  eventTypes: string[];
  enabled?: boolean;
  description?: string | null;
}

export interface CreatedWebhook {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  description: string | null;
  /** Shown once: the caller must hand it to the admin and never store or log it elsewhere. */
  secret: string;
}

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks' secret format). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The write side of webhook subscriptions, for the admin API, the CLI and the notifier (which
 * disables failing endpoints): load the stream, decide, append with the expected revision, retry
 * on a concurrent write. URLs are checked (and resolved) before anything is recorded.
 */
export class WebhookCommands {
  constructor(
    private readonly eventStore: EventStore,
    private readonly options: { allowPrivateTargets: boolean },
  ) {}

  async create(context: WriteContext, input: CreateWebhookInput): Promise<CreatedWebhook> {
    await resolveWebhookTarget(input.url, { allowPrivate: this.options.allowPrivateTargets });
    const webhookId = randomUUID();
    const secret = generateWebhookSecret();
    const command: WebhookCommand = {
      type: 'CreateWebhook',
      webhookId,
      url: input.url,
      eventTypes: input.eventTypes,
      secret,
      enabled: input.enabled ?? true,
      description: input.description ?? null,
    };
    await this.run(context, webhookId, command);
    return { id: webhookId, url: input.url, eventTypes: [...input.eventTypes], enabled: command.enabled, description: command.description, secret };
  }

  async update(
    context: WriteContext,
    webhookId: string,
    input: { url?: string; eventTypes?: string[]; enabled?: boolean; description?: string | null },
  ): Promise<WebhookState> {
    if (input.url !== undefined) await resolveWebhookTarget(input.url, { allowPrivate: this.options.allowPrivateTargets });
    return this.run(context, webhookId, { type: 'UpdateWebhook', ...input });
  }

  async delete(context: WriteContext, webhookId: string): Promise<void> {
    await this.run(context, webhookId, { type: 'DeleteWebhook' });
  }

  async redeliver(context: WriteContext, webhookId: string, deliveryId: string): Promise<void> {
    await this.run(context, webhookId, { type: 'RedeliverWebhookDelivery', deliveryId });
  }

  async disable(context: WriteContext, webhookId: string, reason: 'gone' | 'failing', deliveryId: string | null): Promise<void> {
    await this.run(context, webhookId, { type: 'DisableWebhook', reason, deliveryId });
  }

  private async run(context: WriteContext, webhookId: string, command: WebhookCommand): Promise<WebhookState> {
    const decision = await decideAndAppend(this.eventStore, webhookDecider, webhookStreamName(context.workspaceId, webhookId), command, context);
    return decision.state;
  }
}
