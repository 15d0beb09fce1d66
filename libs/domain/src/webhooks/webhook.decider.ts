import { isValidWebhookPattern } from './webhook-patterns';
import type { WebhookDisabledReason, WebhookEvent, WebhookUpdatedData } from './webhook.events';
import type { Decider } from '../shared/decider';

export type WebhookCommand =
  | { type: 'CreateWebhook'; webhookId: string; url: string; eventTypes: string[]; secret: string; enabled: boolean; description: string | null }
  | { type: 'UpdateWebhook'; url?: string; eventTypes?: string[]; enabled?: boolean; description?: string | null }
  | { type: 'DisableWebhook'; reason: WebhookDisabledReason; deliveryId: string | null }
  | { type: 'DeleteWebhook' }
  | { type: 'RedeliverWebhookDelivery'; deliveryId: string };

export interface WebhookState {
  status: 'absent' | 'active' | 'deleted';
  webhookId: string | null;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  description: string | null;
}

export class WebhookRuleViolation extends Error {
  constructor(
    readonly code: 'not_found' | 'already_exists' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRuleViolation';
  }
}

export function initialWebhookState(): WebhookState {
  return { status: 'absent', webhookId: null, url: '', eventTypes: [], enabled: false, description: null };
}

/** Pure: validation of URL reachability (DNS, private ranges) happens in the caller, which has I/O. */
export function decideWebhook(command: WebhookCommand, state: WebhookState): WebhookEvent[] {
  switch (command.type) {
    case 'CreateWebhook': {
      if (state.status !== 'absent') throw new WebhookRuleViolation('already_exists', 'webhook already exists');
      checkPatterns(command.eventTypes);
      if (!/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/.test(command.secret)) throw new WebhookRuleViolation('invalid', 'secret must be whsec_<base64>');
      return [
        {
          type: 'TENANT_WEBHOOK_CREATED',
          data: {
            webhookId: command.webhookId,
            url: command.url,
            eventTypes: [...command.eventTypes],
            secret: command.secret,
            enabled: command.enabled,
            description: command.description,
          },
        },
      ];
    }
    case 'UpdateWebhook': {
      requireActive(state);
      const data: WebhookUpdatedData = { webhookId: state.webhookId!, changedAttributes: [] };
      if (command.url !== undefined && command.url !== state.url) {
        data.url = command.url;
        data.changedAttributes.push('url');
      }
      if (command.eventTypes !== undefined && JSON.stringify(command.eventTypes) !== JSON.stringify(state.eventTypes)) {
        checkPatterns(command.eventTypes);
        data.eventTypes = [...command.eventTypes];
        data.changedAttributes.push('eventTypes');
      }
      if (command.enabled !== undefined && command.enabled !== state.enabled) {
        data.enabled = command.enabled;
        data.changedAttributes.push('enabled');
      }
      if (command.description !== undefined && command.description !== state.description) {
        data.description = command.description;
        data.changedAttributes.push('description');
      }
      return data.changedAttributes.length === 0 ? [] : [{ type: 'TENANT_WEBHOOK_UPDATED', data }];
    }
    case 'DisableWebhook':
      requireActive(state);
      if (!state.enabled) return [];
      return [{ type: 'TENANT_WEBHOOK_DISABLED', data: { webhookId: state.webhookId!, reason: command.reason, deliveryId: command.deliveryId } }];
    case 'DeleteWebhook':
      requireActive(state);
      return [{ type: 'TENANT_WEBHOOK_DELETED', data: { webhookId: state.webhookId! } }];
    case 'RedeliverWebhookDelivery':
      requireActive(state);
      return [{ type: 'TENANT_WEBHOOK_REDELIVERY_REQUESTED', data: { webhookId: state.webhookId!, deliveryId: command.deliveryId } }];
    default: {
      const exhaustive: never = command;
      return exhaustive;
    }
  }
}

export function evolveWebhook(state: WebhookState, event: WebhookEvent): WebhookState {
  switch (event.type) {
    case 'TENANT_WEBHOOK_CREATED':
      return {
        status: 'active',
        webhookId: event.data.webhookId,
        url: event.data.url,
        eventTypes: event.data.eventTypes,
        enabled: event.data.enabled,
        description: event.data.description,
      };
    case 'TENANT_WEBHOOK_UPDATED':
      return {
        ...state,
        url: event.data.url ?? state.url,
        eventTypes: event.data.eventTypes ?? state.eventTypes,
        enabled: event.data.enabled ?? state.enabled,
        description: event.data.description !== undefined ? event.data.description : state.description,
      };
    case 'TENANT_WEBHOOK_DISABLED':
      return { ...state, enabled: false };
    case 'TENANT_WEBHOOK_DELETED':
      return { ...state, status: 'deleted', enabled: false };
    case 'TENANT_WEBHOOK_REDELIVERY_REQUESTED':
      return state;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

function requireActive(state: WebhookState): void {
  if (state.status !== 'active') throw new WebhookRuleViolation('not_found', 'webhook not found');
}

function checkPatterns(patterns: string[]): void {
  if (patterns.length === 0 || patterns.length > 50) throw new WebhookRuleViolation('invalid', 'eventTypes needs 1 to 50 patterns');
  const bad = patterns.find((pattern) => !isValidWebhookPattern(pattern));
  if (bad !== undefined) throw new WebhookRuleViolation('invalid', `invalid event pattern: ${bad}`);
}

export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhookState> = { decide: decideWebhook, evolve: evolveWebhook, initialState: initialWebhookState };
