import { Client } from 'pg';
import type { HeldLock, LockAcquirer } from './lease-loop';

export interface PostgresAdvisoryLockOptions {
  url: string;
  /** The two halves of the lock key (hashed by the server with `hashtext`). */
  key: readonly [string, string];
  /** Shown in `pg_stat_activity` (truncated by the server to 63 bytes). */
  applicationName: string;
  /** How often the holder checks its session answers. Default 2000 ms. */
  heartbeatMs?: number;
  /** How long a check may take before the lock counts as lost. Default 5000 ms. */
  heartbeatTimeoutMs?: number;
}

/**
 * A PostgreSQL session-level advisory lock on a connection of its own (never a pooled one, which a
 * pool could recycle with the lock on it). It dies with the session: a killed process's socket
 * closes and the server releases the lock at once; a process cut off by the network loses it when
 * the server's keepalives give up (set short on this session: ~11 s). The holder checks its session
 * every `heartbeatMs` and counts the lock as lost as soon as a check fails or hangs
 * (`heartbeatTimeoutMs`), before the server can have given the lock to someone else.
 */
export class PostgresAdvisoryLock implements LockAcquirer {
  private standby: Client | null = null;

  constructor(private readonly options: PostgresAdvisoryLockOptions) {}

  async tryAcquire(): Promise<HeldLock | null> {
    const client = this.standby ?? (await this.connect());
    this.standby = null;
    let locked: boolean;
    try {
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked', [...this.options.key]);
      locked = result.rows[0]?.locked === true;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (!locked) {
      this.standby = client;
      return null;
    }
    return this.held(client);
  }

  async close(): Promise<void> {
    const client = this.standby;
    this.standby = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
    });
    // An error between queries (the server went away) must not be an unhandled 'error' event.
    client.on('error', () => undefined);
    await client.connect();
    try {
      // The server's side of a partition: drop this session (and the lock) after ~5 + 3 × 2 s of silence.
      await client.query('SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3; SET idle_session_timeout = 0');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private held(client: Client): HeldLock {
    const heartbeatMs = this.options.heartbeatMs ?? 2000;
    const timeoutMs = this.options.heartbeatTimeoutMs ?? 5000;
    let markLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    let ended = false;
    const end = async () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      markLost();
      // A cut-off server never answers the goodbye: do not wait for it longer than a second.
      await endWithin(client, 1000);
    };
    client.on('error', () => void end());
    client.on('end', () => void end());
    let checking = false;
    const heartbeat = setInterval(() => {
      if (checking || ended) return;
      checking = true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('lock session did not answer')), timeoutMs)));
      Promise.race([client.query('SELECT 1'), timeout])
        .catch(() => end())
        .finally(() => {
          clearTimeout(timer);
          checking = false;
        });
    }, heartbeatMs);
    heartbeat.unref();
    // Ending the session releases a session-level advisory lock; no unlock call needed.
    return { lost, release: end };
  }
}

async function endWithin(client: Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.end().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
