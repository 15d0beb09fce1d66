import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { WebhookRuleViolation } from '@axis/domain';
import { READ_MODEL } from '@axis/platform';
import { WebhookCommands, WebhookTargetRefusedError, type CreatedWebhook } from '@axis/write';
import { findWebhookSubscription, listWebhookDeliveries, listWebhookSubscriptions, type WebhookDeliveryView, type WebhookSubscriptionView } from '@axis/read-model';
import type { DataSource } from 'typeorm';
import { Admin, AdminApi } from '../auth/admin.decorators';
import { type AdminPrincipal, adminWriteContext } from '../auth/admin-key.guard';
import { CreatedWebhookView, CreateWebhookDto, RedeliveryAccepted, UpdatedWebhook, UpdateWebhookDto, WebhookDeliveryView as WebhookDeliveryDoc, WebhookView } from './webhook.views';

interface WebhookBody {
  url?: unknown;
  eventTypes?: unknown;
  enabled?: unknown;
  description?: unknown;
}

function parseBody(body: WebhookBody, creating: boolean): { url?: string; eventTypes?: string[]; enabled?: boolean; description?: string | null } {
  const out: { url?: string; eventTypes?: string[]; enabled?: boolean; description?: string | null } = {};
  if (body.url !== undefined || creating) {
    if (typeof body.url !== 'string') throw new BadRequestException({ error: 'invalid_request', message: 'url must be a string' });
    out.url = body.url;
  }
  if (body.eventTypes !== undefined || creating) {
    if (!Array.isArray(body.eventTypes) || !body.eventTypes.every((type) => typeof type === 'string')) {
      throw new BadRequestException({ error: 'invalid_request', message: 'eventTypes must be an array of patterns such as "platform.scim.*"' });
    }
    out.eventTypes = body.eventTypes as string[];
  }
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean') throw new BadRequestException({ error: 'invalid_request', message: 'enabled must be a boolean' });
    out.enabled = body.enabled;
  }
  if (body.description !== undefined) {
    if (body.description !== null && (typeof body.description !== 'string' || body.description.length > 500)) {
      throw new BadRequestException({ error: 'invalid_request', message: 'description must be a string of at most 500 characters' });
    }
    out.description = body.description as string | null;
  }
  return out;
}

async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WebhookTargetRefusedError) throw new BadRequestException({ error: 'invalid_target', message: error.message });
    if (error instanceof WebhookRuleViolation) {
      if (error.code === 'not_found') throw new NotFoundException({ error: 'not_found', message: 'webhook not found' });
      throw new BadRequestException({ error: 'invalid_request', message: error.message });
    }
    throw error;
  }
}

/**
 * Webhook subscriptions: create (the `whsec_…` secret is in this response only), list, change,
 * delete; the delivery log; redeliver. Writes are events; the notifier projects and delivers.
 */
@Controller('api/v1/workspaces/:slug/webhooks')
@AdminApi('Webhooks')
export class WebhooksRoute {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly commands: WebhookCommands,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a subscription; the response holds its signing secret, shown once' })
  @ApiBody({ type: CreateWebhookDto })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  create(@Admin() admin: AdminPrincipal, @Body() body: WebhookBody): Promise<CreatedWebhook> {
    const input = parseBody(body ?? {}, true);
    return mapErrors(() => this.commands.create(adminWriteContext(admin), { url: input.url!, eventTypes: input.eventTypes!, ...input }));
  }

  @Get()
  @ApiOperation({ summary: "The workspace's subscriptions (eventually consistent; never the secret)" })
  @ApiOkResponse({ type: [WebhookView] })
  list(@Admin() admin: AdminPrincipal): Promise<WebhookSubscriptionView[]> {
    return listWebhookSubscriptions(this.readModel, admin.workspaceId);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookView })
  async get(@Admin() admin: AdminPrincipal, @Param('id') id: string): Promise<WebhookSubscriptionView> {
    const found = await findWebhookSubscription(this.readModel, admin.workspaceId, id);
    if (!found) throw new NotFoundException({ error: 'not_found', message: 'webhook not found' });
    return found;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, eventTypes, enabled or description (re-enabling resumes pending deliveries)' })
  @ApiBody({ type: UpdateWebhookDto })
  @ApiOkResponse({ type: UpdatedWebhook })
  async update(@Admin() admin: AdminPrincipal, @Param('id') id: string, @Body() body: WebhookBody): Promise<{ id: string; updated: true }> {
    await mapErrors(() => this.commands.update(adminWriteContext(admin), id, parseBody(body ?? {}, false)));
    return { id, updated: true };
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Admin() admin: AdminPrincipal, @Param('id') id: string): Promise<void> {
    await mapErrors(() => this.commands.delete(adminWriteContext(admin), id));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log, newest first, each delivery with its attempts (status: pending, delivered, dead, cancelled)' })
  @ApiQuery({ name: 'status', required: false, description: 'pending, delivered, dead or cancelled' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1..1000, default 100' })
  @ApiOkResponse({ type: [WebhookDeliveryDoc] })
  async deliveries(@Admin() admin: AdminPrincipal, @Param('id') id: string, @Query('status') status?: string, @Query('limit') limit?: string): Promise<WebhookDeliveryView[]> {
    await this.get(admin, id);
    return listWebhookDeliveries(this.readModel, id, { ...(status ? { status } : {}), ...(limit ? { limit: Number(limit) || 100 } : {}) });
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again (a fresh retry schedule), e.g. a dead-lettered one' })
  @ApiAcceptedResponse({ type: RedeliveryAccepted })
  async redeliver(@Admin() admin: AdminPrincipal, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<{ deliveryId: string; accepted: true }> {
    await mapErrors(() => this.commands.redeliver(adminWriteContext(admin), id, deliveryId));
    return { deliveryId, accepted: true };
  }
}
