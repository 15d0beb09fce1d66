import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

/**
 * Environment values arrive as strings; integers are parsed strictly so `PORT=8080abc` is an error
 * rather than 8080.
 */
export const ToInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value));

const STORE_URL = /^(sqlite:.+|:memory:|postgres(ql)?:\/\/.+|esdb(\+discover)?:\/\/.+)$/;
const READ_MODEL_URL = /^(sqlite:.+|:memory:|postgres(ql)?:\/\/.+)$/;

/** Where events and the read model live. Both default to SQLite files under DATA_DIR. */
export class StorageConfig {
  @IsString()
  DATA_DIR = './data';

  /** When set, the default for EVENT_STORE_URL and READ_MODEL_URL. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(STORE_URL, { message: 'must be sqlite:<file>, postgres://… or esdb://…' })
  EVENT_STORE_URL?: string;

  @IsOptional()
  @Matches(READ_MODEL_URL, { message: 'must be sqlite:<file> or postgres://…' })
  READ_MODEL_URL?: string;

  /** PostgreSQL schema holding the event store tables (tests isolate themselves with it). */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  EVENT_STORE_SCHEMA = 'event_store';

  /** PostgreSQL schema holding the read model tables. */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  READ_MODEL_SCHEMA = 'read_model';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * Port of the metrics/health listener (`/metrics`, `/healthz`, `/readyz`) of the projector and the
   * notifier, which have no HTTP API otherwise. 0 (default): no listener. The gateway and the
   * all-in-one serve the same paths on PORT.
   */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT = 0;

  /** Interface of the METRICS_PORT listener (`0.0.0.0` in a container so Prometheus can scrape it). */
  @IsString()
  @MinLength(1)
  METRICS_HOST = '127.0.0.1';

  /** How often each consumer reads its operator state (pause / resume / skip), in milliseconds. */
  @ToInt()
  @IsInt()
  @Min(50)
  @Max(60_000)
  CONSUMER_STATE_POLL_MS = 1000;

  /**
   * Consecutive failures with the same first event after which a consumer retries that event alone;
   * failing alone too, it stops as `failed` (poison event) until an operator skips it.
   */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  CONSUMER_POISON_AFTER_FAILURES = 5;

  /**
   * How often subscriptions poll the SQL event store besides their wake-up notifications (PostgreSQL
   * LISTEN). Lower it for latency-sensitive consumers: an append whose notification arrives while an
   * older transaction still holds the visibility frontier back is seen at the next poll.
   */
  @ToInt()
  @IsInt()
  @Min(5)
  @Max(10_000)
  EVENT_STORE_POLL_INTERVAL_MS = 250;

  eventStoreUrl(): string {
    return this.EVENT_STORE_URL ?? this.DATABASE_URL ?? `sqlite:${this.DATA_DIR}/events.sqlite`;
  }

  readModelUrl(): string {
    return this.READ_MODEL_URL ?? this.DATABASE_URL ?? `sqlite:${this.DATA_DIR}/read-model.sqlite`;
  }
}

/** Kafka is optional: without KAFKA_BROKERS the notifier publishes nowhere. */
export class KafkaConfig extends StorageConfig {
  @IsOptional()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'must be a valid Kafka topic name' })
  KAFKA_TOPIC = 'platform.scim.events';

  @IsString()
  @MinLength(1)
  KAFKA_CLIENT_ID = 'axis-scim-notifier';

  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_TOPIC_PARTITIONS = 6;

  /** TLS to the brokers (`true` also when KAFKA_SSL_CA_FILE is set). */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  KAFKA_SSL = 'false';

  /** PEM file with the CA(s) that signed the brokers' certificates; default: Node's trust store. */
  @IsOptional()
  @IsString()
  KAFKA_SSL_CA_FILE?: string;

  /** `true` (default) verifies the brokers' certificates; `false` only for a test broker. */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  KAFKA_SSL_REJECT_UNAUTHORIZED = 'true';

  @IsOptional()
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'], { message: 'must be plain, scram-sha-256 or scram-sha-512' })
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';

  @ValidateIf((config: KafkaConfig) => config.KAFKA_SASL_MECHANISM !== undefined)
  @IsString({ message: 'must be set when KAFKA_SASL_MECHANISM is set' })
  @MinLength(1)
  KAFKA_SASL_USERNAME?: string;

  /** Never logged. */
  @ValidateIf((config: KafkaConfig) => config.KAFKA_SASL_MECHANISM !== undefined)
  @IsString({ message: 'must be set when KAFKA_SASL_MECHANISM is set' })
  @MinLength(1)
  KAFKA_SASL_PASSWORD?: string;

  // ---- webhooks (notifier delivers; the admin API validates targets on creation)

  /** Retry delays after a failed delivery, comma-separated durations (`500ms`, `5s`, `5m`, `2h`); one try more than delays. */
  @Matches(/^\d+(ms|s|m|h)(,\d+(ms|s|m|h))*$/, { message: 'must be comma-separated durations such as 5s,5m,30m,2h' })
  WEBHOOK_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

  /** Per-attempt timeout (connect + response) in milliseconds. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Concurrent requests per endpoint; endpoints never wait for each other. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(64)
  WEBHOOK_CONCURRENCY_PER_ENDPOINT = 4;

  /** Consecutive dead-lettered deliveries after which an endpoint is disabled. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  WEBHOOK_DISABLE_AFTER_FAILURES = 5;

  /** How often the delivery worker looks for due deliveries (milliseconds). */
  @ToInt()
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_POLL_INTERVAL_MS = 500;

  /** `true` lets webhooks target loopback, private and link-local addresses (tests, dev); cloud metadata addresses stay refused. */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';

  kafkaBrokers(): string[] {
    return this.KAFKA_BROKERS ? this.KAFKA_BROKERS.split(',') : [];
  }

  kafkaSsl(): boolean {
    return this.KAFKA_SSL === 'true' || this.KAFKA_SSL_CA_FILE !== undefined;
  }

  /** Milliseconds to wait before retry n (0-based); its length + 1 is the number of tries. */
  webhookRetryDelaysMs(): number[] {
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    return this.WEBHOOK_RETRY_SCHEDULE.split(',').map((part) => {
      const match = /^(\d+)(ms|s|m|h)$/.exec(part)!;
      return Number(match[1]) * unit[match[2]!]!;
    });
  }

  webhookAllowPrivateTargets(): boolean {
    return this.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true';
  }
}

export class HttpConfig extends KafkaConfig {
  @ToInt()
  @IsInt({ message: 'must be an integer port number' })
  @Min(0)
  @Max(65535)
  PORT = 8080;

  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  /** Public base URL printed for admins and used in `meta.location`; defaults to http://HOST:PORT. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+[^/]$/, { message: 'must be an http(s) URL without a trailing slash' })
  PUBLIC_URL?: string;

  /** The workspace served under plain /scim/v2 when the request names none. */
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be a workspace slug (a-z, 0-9, -)' })
  DEFAULT_WORKSPACE = 'default';

  /**
   * A SCIM bearer token accepted for DEFAULT_WORKSPACE, for deployments that do not issue
   * workspace tokens yet. Never logged.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  SCIM_BEARER_TOKEN?: string;

  @ToInt()
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  MAX_BODY_BYTES = 1024 * 1024;

  /**
   * When set, `<slug>.<SCIM_BASE_DOMAIN>` addresses workspace `<slug>` (the product's
   * `https://<workspace>.axissynapse.com/scim/v2`); `/workspaces/<slug>/scim/v2` always works.
   */
  @IsOptional()
  @Matches(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'must be a lower-case DNS name such as scim.example.com',
  })
  SCIM_BASE_DOMAIN?: string;

  /**
   * Sustained SCIM requests per second per workspace; 0 turns limiting off. On a PostgreSQL read
   * model the quota is shared by every gateway replica; on the embedded SQLite one it is in memory.
   */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  SCIM_RATE_LIMIT_PER_SECOND = 50;

  /** Requests a workspace may send at once above the sustained rate (token bucket size). */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  SCIM_RATE_LIMIT_BURST = 200;

  /**
   * Embedded SQLite read model: threads that run SCIM searches off the event loop (each with a
   * read-only connection), so a costly filter never holds /healthz or another workspace. 0: searches
   * run on the event loop.
   */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(16)
  SQLITE_READER_THREADS = 2;

  /**
   * Embedded SQLite read model: how long the process trusts a SCIM token lookup; 0 looks every
   * request up. On PostgreSQL, which gateway replicas share, every request looks its token up.
   */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(5000)
  SCIM_TOKEN_CACHE_MS = 1000;

  /**
   * The time budget of the gateway's reads: on PostgreSQL the `statement_timeout` of its read-model
   * connections, on the embedded SQLite the time a SCIM search may wait for and run on a reader
   * thread. Past it the read is answered 503 SCIM_READ_TIMEOUT with Retry-After, so no request
   * holds the service for long. 0: none. Migrations and the projector run without it.
   */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(600_000)
  SCIM_READ_TIMEOUT_MS = 5000;

  /** `true` (default): every SCIM request of a known workspace is kept in the request log (redacted bodies), written in batches. */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  SCIM_REQUEST_LOG = 'true';

  /** Days the SCIM request log keeps a request; older rows are deleted in batches every prune interval. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(3650)
  SCIM_REQUEST_LOG_RETENTION_DAYS = 30;

  /** How often the gateway deletes request-log rows past the retention (milliseconds; default hourly). */
  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  SCIM_REQUEST_LOG_PRUNE_INTERVAL_MS = 3_600_000;

  /** Authenticates the internal session endpoints (`/internal/v1/...`); unset, they answer 404. Never logged. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  SESSION_SERVICE_KEY?: string;

  /** Admin console: a session unused this long (minutes) is over. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  CONSOLE_SESSION_IDLE_MINUTES = 8 * 60;

  /** Admin console: a session ends this long (hours) after sign-in, however active. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(30 * 24)
  CONSOLE_SESSION_MAX_HOURS = 12;

  /**
   * The built admin console (`index.html`, `assets/`) the gateway serves under `/admin`; default:
   * `apps/admin-console/dist` beside the gateway (resolved by the gateway, which knows where it is).
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  ADMIN_CONSOLE_DIR?: string;

  scimRequestLog(): boolean {
    return this.SCIM_REQUEST_LOG === 'true';
  }

  publicUrl(): string {
    return this.PUBLIC_URL ?? `http://${this.HOST}:${this.PORT}`;
  }

  /** The console cookie is `Secure` when admins reach the service over https. */
  publicUrlIsHttps(): boolean {
    return this.publicUrl().startsWith('https://');
  }
}
