import type { Logger } from '@axis/platform';
import type { WebhookCommands } from '@axis/write';
import { inReadModelTransaction, metrics } from '@axis/platform';
import { WebhookDeliveryAttemptRecord, WebhookDeliveryRecord, WebhookSubscriptionRecord } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { postWebhook, type WebhookHttpResult } from './webhook-http.client';
import { webhookHeaders } from './webhook-signature';

export interface WebhookDeliveryOptions {
  /** Delay before retry n; `retryDelaysMs.length + 1` tries in all, then the delivery is dead-lettered. */
  retryDelaysMs: number[];
  timeoutMs: number;
  concurrencyPerEndpoint: number;
  /** Consecutive dead-lettered deliveries that disable an endpoint. */
  disableAfterFailures: number;
  pollIntervalMs: number;
  allowPrivateTargets: boolean;
  /** Due deliveries fetched per poll. */
  batchSize?: number;
}

type Outcome = 'delivered' | 'retry' | 'dead' | 'gone';

/**
 * Sends queued deliveries. Each endpoint (subscription) has its own concurrency budget, and every
 * attempt is bounded by a timeout, so a slow or dead endpoint only ever occupies its own slots; the
 * Kafka and audit reactors never wait on HTTP at all. A delivery is claimed by moving its
 * `next_attempt_at` forward (a lease, compare-and-set), so several notifier processes can share the
 * queue and a crashed attempt is retried when its lease runs out — at-least-once, recognisable by
 * `webhook-id` (the event id).
 */
export class WebhookDeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private polling: Promise<void> | null = null;
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();

  constructor(
    private readonly readModel: DataSource,
    private readonly commands: WebhookCommands,
    private readonly options: WebhookDeliveryOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    await Promise.allSettled([...this.attempts]);
  }

  /** One poll: claims what is due and starts the attempts (does not wait for them). */
  async poll(): Promise<number> {
    if (!this.readModel.isInitialized) return 0;
    const now = new Date();
    const due = await this.readModel
      .getRepository(WebhookDeliveryRecord)
      .createQueryBuilder('d')
      .innerJoin(WebhookSubscriptionRecord, 's', 's.id = d.subscription_id')
      .where('d.status = :status', { status: 'pending' })
      .andWhere('d.next_attempt_at <= :now', { now: now.toISOString() })
      .andWhere('s.enabled = :enabled', { enabled: this.readModel.options.type === 'postgres' ? true : 1 })
      .orderBy('d.next_attempt_at', 'ASC')
      .limit(this.options.batchSize ?? 200)
      .getMany();
    let started = 0;
    for (const delivery of due) {
      const busy = this.inFlight.get(delivery.subscriptionId) ?? 0;
      if (busy >= this.options.concurrencyPerEndpoint) continue;
      if (!(await this.claim(delivery, now))) continue;
      this.inFlight.set(delivery.subscriptionId, busy + 1);
      const attempt = this.attempt(delivery)
        .catch((error: unknown) =>
          this.logger.error({ deliveryId: delivery.id, error: error instanceof Error ? error.message : String(error) }, 'webhook attempt failed to record'),
        )
        .finally(() => {
          this.attempts.delete(attempt);
          const left = (this.inFlight.get(delivery.subscriptionId) ?? 1) - 1;
          if (left <= 0) this.inFlight.delete(delivery.subscriptionId);
          else this.inFlight.set(delivery.subscriptionId, left);
          // A freed slot may have work waiting behind it.
          if (this.running) this.schedule(0);
        });
      this.attempts.add(attempt);
      started++;
    }
    return started;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.polling) {
        this.schedule(this.options.pollIntervalMs);
        return;
      }
      this.polling = this.poll()
        .then(
          () => undefined,
          (error: unknown) => {
            this.logger.debug({ error: error instanceof Error ? error.message : String(error) }, 'webhook poll failed');
          },
        )
        .finally(() => {
          this.polling = null;
          this.schedule(this.options.pollIntervalMs);
        });
    }, delayMs);
  }

  /** Lease: the attempt may take the timeout plus a margin before another worker may try it. */
  private async claim(delivery: WebhookDeliveryRecord, now: Date): Promise<boolean> {
    const lease = new Date(now.getTime() + this.options.timeoutMs + 30_000).toISOString();
    // Through the transaction queue: SQLite has one connection, shared with the reactors.
    const result = await inReadModelTransaction(this.readModel, (manager) =>
      manager
      .createQueryBuilder()
      .update(WebhookDeliveryRecord)
      .set({ nextAttemptAt: lease })
      .where('id = :id AND status = :status AND next_attempt_at = :was', { id: delivery.id, status: 'pending', was: delivery.nextAttemptAt })
      .execute(),
    );
    return (result.affected ?? 0) === 1;
  }

  private async attempt(delivery: WebhookDeliveryRecord): Promise<void> {
    const subscription = await this.readModel.getRepository(WebhookSubscriptionRecord).findOneBy({ id: delivery.subscriptionId });
    if (!subscription || !subscription.enabled) {
      // Deleted or disabled since the poll: leave it pending (a re-enabled endpoint resumes).
      await inReadModelTransaction(this.readModel, (manager) =>
        manager.getRepository(WebhookDeliveryRecord).update({ id: delivery.id }, { nextAttemptAt: new Date().toISOString() }),
      );
      return;
    }
    const started = Date.now();
    const result = await postWebhook(subscription.url, delivery.payload, webhookHeaders(subscription.secret, delivery.eventId, delivery.payload), {
      timeoutMs: this.options.timeoutMs,
      allowPrivate: this.options.allowPrivateTargets,
    });
    const durationMs = Date.now() - started;
    const attemptNumber = delivery.attempts + 1;
    const triesSoFar = attemptNumber - delivery.redeliveryBase;
    const outcome = outcomeOf(result, triesSoFar, this.options.retryDelaysMs.length + 1);
    metrics.webhookDeliveriesTotal.inc({ outcome });
    metrics.webhookDeliveryDuration.observe({ outcome }, durationMs / 1000);
    const finishedAt = new Date();
    let consecutiveFailures = 0;
    await inReadModelTransaction(this.readModel, async (manager) => {
      await manager.getRepository(WebhookDeliveryAttemptRecord).insert({
        deliveryId: delivery.id,
        attempt: attemptNumber,
        subscriptionId: delivery.subscriptionId,
        attemptedAt: new Date(started).toISOString(),
        statusCode: result.statusCode,
        error: result.error,
        durationMs,
      });
      const common = { attempts: attemptNumber, lastStatusCode: result.statusCode, lastError: result.error, updatedAt: finishedAt.toISOString() };
      const deliveries = manager.getRepository(WebhookDeliveryRecord);
      const subscriptions = manager.getRepository(WebhookSubscriptionRecord);
      if (outcome === 'delivered') {
        await deliveries.update({ id: delivery.id }, { ...common, status: 'delivered', deliveredAt: finishedAt.toISOString() });
        await subscriptions.update({ id: delivery.subscriptionId }, { consecutiveFailures: 0 });
      } else if (outcome === 'retry') {
        const delay = retryDelay(this.options.retryDelaysMs[triesSoFar - 1]!, result.retryAfterMs);
        await deliveries.update({ id: delivery.id }, { ...common, nextAttemptAt: new Date(finishedAt.getTime() + delay).toISOString() });
      } else {
        await deliveries.update({ id: delivery.id }, { ...common, status: 'dead' });
        await subscriptions.increment({ id: delivery.subscriptionId }, 'consecutiveFailures', 1);
        consecutiveFailures = (await subscriptions.findOneBy({ id: delivery.subscriptionId }))?.consecutiveFailures ?? 0;
      }
    });
    if (outcome === 'gone' || (outcome === 'dead' && consecutiveFailures >= this.options.disableAfterFailures)) {
      const reason = outcome === 'gone' ? 'gone' : 'failing';
      await this.commands.disable({ workspaceId: delivery.workspaceId, actor: 'system:notifier', dialect: 'system' }, delivery.subscriptionId, reason, delivery.id).catch(
        (error: unknown) => this.logger.warn({ webhookId: delivery.subscriptionId, error: String(error) }, 'could not disable webhook endpoint'),
      );
      this.logger.warn({ webhookId: delivery.subscriptionId, reason, deliveryId: delivery.id }, 'webhook endpoint disabled');
    } else if (outcome === 'dead') {
      this.logger.info({ webhookId: delivery.subscriptionId, deliveryId: delivery.id, attempts: attemptNumber, statusCode: result.statusCode }, 'webhook delivery dead-lettered');
    }
  }
}

/** 2xx delivered; 410 gone; other 4xx (but 408, 429) final; 5xx, 408, 429, timeouts and errors retried. */
export function outcomeOf(result: WebhookHttpResult, tries: number, maxTries: number): Outcome {
  const status = result.statusCode;
  if (status !== null && status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  const retryable = status === null || status >= 500 || status === 408 || status === 429 || (status >= 300 && status < 400);
  if (!retryable) return 'dead';
  return tries >= maxTries ? 'dead' : 'retry';
}

/** The scheduled delay with ±20 % jitter, stretched to a receiver's Retry-After (at most an hour). */
export function retryDelay(scheduledMs: number, retryAfterMs: number | null, random = Math.random): number {
  const jittered = Math.round(scheduledMs * (0.8 + 0.4 * random()));
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, 3_600_000));
}
