import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LOGGER, type Logger, metrics, renderMetrics } from '@axis/platform';
import type { FastifyRequest } from 'fastify';

const START = Symbol('axis.requestStart');
type TimedRequest = FastifyRequest & {
  [START]?: bigint;
  scimPrincipal?: { workspaceId: string };
  adminPrincipal?: { workspaceId: string };
};

/** Paths scraped or probed every few seconds: counted in the metrics, not logged. */
const QUIET_ROUTES = new Set(['/metrics', '/healthz', '/readyz']);

/**
 * Per-request metrics and logs for the gateway (and the all-in-one):
 * - `axis_http_requests_total` / `axis_http_request_duration_seconds` labelled by the matched route
 *   PATTERN (`/scim/v2/Users/:id`), never the raw URL, so label cardinality stays bounded; an
 *   unmatched URL counts as route `unmatched`;
 * - one JSON log line per request with the request id, workspace id (once authenticated), route
 *   pattern, status and duration — ids only, no query string, body or user attributes (PII);
 * - `GET /metrics`: the process's Prometheus registry.
 */
export function registerRequestObservability(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const logger = app.get<Logger>(LOGGER).child({ part: 'http' });

  fastify.addHook('onRequest', async (request) => {
    (request as TimedRequest)[START] = process.hrtime.bigint();
  });

  fastify.addHook('onResponse', async (request, reply) => {
    const timed = request as TimedRequest;
    const seconds = timed[START] === undefined ? 0 : metrics.secondsSince(timed[START]);
    const route = request.routeOptions?.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpRequestsTotal.inc({ method: request.method, route, status: String(status) });
    metrics.httpRequestDuration.observe({ method: request.method, route, status_class: `${Math.floor(status / 100)}xx` }, seconds);
    if (QUIET_ROUTES.has(route)) return;
    const workspaceId = timed.scimPrincipal?.workspaceId ?? timed.adminPrincipal?.workspaceId;
    const fields = {
      requestId: String(request.id),
      ...(workspaceId ? { workspaceId } : {}),
      method: request.method,
      route,
      status,
      durationMs: Math.round(seconds * 1e6) / 1e3,
    };
    if (status >= 500) logger.error(fields, 'request failed');
    else logger.info(fields, 'request');
  });

  fastify.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await renderMetrics();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
