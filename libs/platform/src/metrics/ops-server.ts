import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventStore } from '@axis/event-store';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { renderMetrics } from './metrics';

export interface OpsServerOptions {
  port: number;
  host: string;
  eventStore: EventStore;
  readModel: DataSource;
  logger: Logger;
  /** How long /readyz waits for each store. Default 2000 ms. */
  readyTimeoutMs?: number;
}

export interface OpsServer {
  /** The bound port (useful with port 0 in tests). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The small HTTP listener of the processes without an HTTP API (projector, notifier):
 * `/metrics` (Prometheus text), `/healthz` (the process is up) and `/readyz` (both stores answer;
 * 503 otherwise).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, contentType: string, body: string) => {
      response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'application/json', '{"status":"method not allowed"}');
    if (path === '/healthz') return reply(200, 'application/json', '{"status":"ok"}');
    if (path === '/readyz') {
      storesReady(options.eventStore, options.readModel, options.readyTimeoutMs ?? 2000).then(
        () => reply(200, 'application/json', '{"status":"ready"}'),
        (error: unknown) => {
          options.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'not ready: a store does not answer');
          reply(503, 'application/json', '{"status":"unavailable"}');
        },
      );
      return;
    }
    if (path === '/metrics') {
      renderMetrics().then(
        ({ contentType, body }) => reply(200, contentType, body),
        (error: unknown) => reply(500, 'text/plain', `metrics failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      return;
    }
    reply(404, 'application/json', '{"status":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port, host: options.host }, 'metrics and health listening');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Both stores answer within the timeout. */
export async function storesReady(eventStore: EventStore, readModel: DataSource, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all([eventStore.headPosition(), readModel.query('SELECT 1')]), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
