import { ConfigError, HttpConfig, loadConfig } from './index';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig(HttpConfig, {});
    expect(config.PORT).toBe(8080);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.eventStoreUrl()).toBe('sqlite:./data/events.sqlite');
    expect(config.kafkaBrokers()).toEqual([]);
    expect(config.CONSOLE_SESSION_IDLE_MINUTES).toBe(480);
    expect(config.CONSOLE_SESSION_MAX_HOURS).toBe(12);
    expect(config.publicUrlIsHttps()).toBe(false);
    expect(loadConfig(HttpConfig, { PUBLIC_URL: 'https://scim.example.com' }).publicUrlIsHttps()).toBe(true);
  });

  it('parses integers strictly', () => {
    expect(loadConfig(HttpConfig, { PORT: '9090' }).PORT).toBe(9090);
    expect(() => loadConfig(HttpConfig, { PORT: '8080abc' })).toThrow(ConfigError);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['KAFKA_BROKERS', 'not a broker list'],
    ['EVENT_STORE_URL', 'mysql://x'],
    ['SCIM_BEARER_TOKEN', 'short'],
    ['DEFAULT_WORKSPACE', 'Bad Slug'],
    ['CONSOLE_SESSION_IDLE_MINUTES', '0'],
    ['CONSOLE_SESSION_MAX_HOURS', '12h'],
    ['CONSOLE_SESSION_MAX_HOURS', '100000'],
    ['SCIM_REQUEST_LOG', 'yes'],
    ['SCIM_REQUEST_LOG_RETENTION_DAYS', '0'],
    ['SCIM_REQUEST_LOG_RETENTION_DAYS', '30d'],
    ['SCIM_REQUEST_LOG_PRUNE_INTERVAL_MS', '10'],
  ])('rejects %s=%s with one line naming the variable', (name, value) => {
    let message = '';
    try {
      loadConfig(HttpConfig, { [name]: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('keeps the SCIM request log 30 days by default, pruned hourly, and turns it off with false', () => {
    const config = loadConfig(HttpConfig, {});
    expect([config.scimRequestLog(), config.SCIM_REQUEST_LOG_RETENTION_DAYS, config.SCIM_REQUEST_LOG_PRUNE_INTERVAL_MS]).toEqual([true, 30, 3_600_000]);
    const off = loadConfig(HttpConfig, { SCIM_REQUEST_LOG: 'false', SCIM_REQUEST_LOG_RETENTION_DAYS: '7' });
    expect([off.scimRequestLog(), off.SCIM_REQUEST_LOG_RETENTION_DAYS]).toEqual([false, 7]);
  });

  it('uses DATABASE_URL for both stores when set', () => {
    const config = loadConfig(HttpConfig, { DATABASE_URL: 'postgres://a:b@h/db' });
    expect(config.eventStoreUrl()).toBe('postgres://a:b@h/db');
    expect(config.readModelUrl()).toBe('postgres://a:b@h/db');
  });
});
