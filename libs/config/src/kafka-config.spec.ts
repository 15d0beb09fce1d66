import { KafkaConfig, loadConfig } from './index';

describe('KafkaConfig: TLS, SASL and webhooks', () => {
  it('defaults to no TLS, no SASL, a day-long retry schedule and no private targets', () => {
    const config = loadConfig(KafkaConfig, {});
    expect(config.kafkaSsl()).toBe(false);
    expect(config.KAFKA_SASL_MECHANISM).toBeUndefined();
    expect(config.webhookRetryDelaysMs()).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(config.webhookAllowPrivateTargets()).toBe(false);
  });

  it('accepts SASL with credentials and a CA file implies TLS', () => {
    const config = loadConfig(KafkaConfig, { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL_CA_FILE: '/ca.pem' });
    expect(config.kafkaSsl()).toBe(true);
    expect(loadConfig(KafkaConfig, { WEBHOOK_RETRY_SCHEDULE: '200ms,1s' }).webhookRetryDelaysMs()).toEqual([200, 1000]);
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM'],
    [{ KAFKA_SASL_MECHANISM: 'plain' }, 'KAFKA_SASL_USERNAME'],
    [{ KAFKA_SSL: 'yes' }, 'KAFKA_SSL'],
    [{ WEBHOOK_RETRY_SCHEDULE: '5 minutes' }, 'WEBHOOK_RETRY_SCHEDULE'],
    [{ WEBHOOK_TIMEOUT_MS: '10' }, 'WEBHOOK_TIMEOUT_MS'],
  ])('rejects %p naming %s', (env, name) => {
    expect(() => loadConfig(KafkaConfig, env)).toThrow(name);
  });
});
