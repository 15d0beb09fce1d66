import { Webhook } from 'standardwebhooks';
import { signWebhook, verifyWebhook, webhookHeaders } from './webhook-signature';
import { outcomeOf, retryDelay } from './webhook-delivery.worker';

const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

describe('Standard Webhooks signatures', () => {
  it('are accepted by the reference implementation (standardwebhooks)', () => {
    const body = JSON.stringify({ type: 'platform.scim.user.created', data: { userId: 'u1' } });
    const headers = webhookHeaders(secret, 'a1b2c3d4-0000-4000-8000-000000000001', body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(verifyWebhook(secret, headers, body)).toBe(true);
  });

  it('matches the spec example byte for byte', () => {
    // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
    const specSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(signWebhook(specSecret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('rejects a tampered body, a wrong secret and a stale timestamp', () => {
    const body = '{"a":1}';
    const headers = webhookHeaders(secret, 'id-1', body);
    expect(verifyWebhook(secret, headers, '{"a":2}')).toBe(false);
    expect(verifyWebhook(`whsec_${Buffer.alloc(32).toString('base64')}`, headers, body)).toBe(false);
    expect(verifyWebhook(secret, webhookHeaders(secret, 'id-1', body, Date.now() - 10 * 60_000), body)).toBe(false);
  });
});

describe('delivery outcome', () => {
  const result = (statusCode: number | null) => ({ statusCode, error: null, retryAfterMs: null, refused: false });
  it.each([
    [200, 1, 'delivered'],
    [204, 8, 'delivered'],
    [410, 1, 'gone'],
    [400, 1, 'dead'],
    [404, 1, 'dead'],
    [408, 1, 'retry'],
    [429, 1, 'retry'],
    [500, 1, 'retry'],
    [503, 8, 'dead'],
    [null, 3, 'retry'],
    [null, 8, 'dead'],
  ])('status %s on try %s → %s', (status, tries, outcome) => {
    expect(outcomeOf(result(status), tries, 8)).toBe(outcome);
  });

  it('jitters within ±20 % and honours Retry-After', () => {
    expect(retryDelay(1000, null, () => 0)).toBe(800);
    expect(retryDelay(1000, null, () => 1)).toBe(1200);
    expect(retryDelay(1000, 60_000, () => 0.5)).toBe(60_000);
  });
});
