import type { IdpDialect } from '@axis/domain';
import { classifyDialect } from '@axis/scim';
import type { FastifyRequest } from 'fastify';

/** Which IdP sent this request, as recorded on events and audit entries. */
export function dialectOf(request: FastifyRequest, body: unknown): IdpDialect {
  return classifyDialect({ userAgent: request.headers['user-agent'], url: request.url, body });
}
