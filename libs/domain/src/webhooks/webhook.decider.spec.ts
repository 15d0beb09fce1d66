import { decideWebhook, evolveWebhook, initialWebhookState, WebhookRuleViolation, type WebhookCommand } from './webhook.decider';
import { matchesWebhookPattern } from './webhook-patterns';
import type { WebhookEvent } from './webhook.events';

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const create: WebhookCommand = {
  type: 'CreateWebhook',
  webhookId: 'w1',
  url: 'https://hooks.example.com/x',
  eventTypes: ['platform.scim.*'],
  secret,
  enabled: true,
  description: null,
};
const given = (...events: WebhookEvent[]) => events.reduce(evolveWebhook, initialWebhookState());

describe('webhook decider', () => {
  it('creates once', () => {
    const events = decideWebhook(create, initialWebhookState());
    expect(events.map((event) => event.type)).toEqual(['TENANT_WEBHOOK_CREATED']);
    expect(() => decideWebhook(create, given(...events))).toThrow(WebhookRuleViolation);
  });

  it('rejects bad patterns and secrets', () => {
    expect(() => decideWebhook({ ...create, eventTypes: ['platform scim'] } as WebhookCommand, initialWebhookState())).toThrow(/pattern/);
    expect(() => decideWebhook({ ...create, secret: 'nope' } as WebhookCommand, initialWebhookState())).toThrow(/secret/);
  });

  it('updates only what changed, disables once, deletes', () => {
    const created = given(...decideWebhook(create, initialWebhookState()));
    expect(decideWebhook({ type: 'UpdateWebhook', url: create.url as string }, created)).toEqual([]);
    const [updated] = decideWebhook({ type: 'UpdateWebhook', enabled: false, description: 'x' }, created);
    expect(updated).toMatchObject({ type: 'TENANT_WEBHOOK_UPDATED', data: { changedAttributes: ['enabled', 'description'] } });
    expect(decideWebhook({ type: 'DisableWebhook', reason: 'gone', deliveryId: null }, evolveWebhook(created, updated!))).toEqual([]);
    const [deleted] = decideWebhook({ type: 'DeleteWebhook' }, created);
    expect(() => decideWebhook({ type: 'DeleteWebhook' }, evolveWebhook(created, deleted!))).toThrow(/not found/);
  });

  it.each([
    ['platform.scim.*', 'platform.scim.user.created', true],
    ['platform.scim.*', 'platform.scim', false],
    ['platform.scim.user.deactivated', 'platform.scim.user.deactivated', true],
    ['platform.scim.user.deactivated', 'platform.scim.user.created', false],
    ['platform.scim.*.created', 'platform.scim.group.created', true],
    ['platform.scim.*.created', 'platform.scim.group.deleted', false],
    ['*', 'platform.scim.user.created', true],
  ])('pattern %s vs %s → %s', (pattern, type, expected) => {
    expect(matchesWebhookPattern(pattern, type)).toBe(expected);
  });
});
