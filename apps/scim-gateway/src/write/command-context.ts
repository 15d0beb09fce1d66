import type { FastifyRequest } from 'fastify';
import { dialectOf } from '../http/request-dialect';
import type { IdpDialect } from '@axis/domain';

/** Who asked, and how: goes into every event's metadata. */
export interface CommandContext {
  workspaceId: string;
  actor: string;
  requestId: string;
  dialect: IdpDialect;
}

/** The context of a SCIM request's command: its workspace, token, request id and IdP dialect. */
export function commandContextOf(
  principal: { workspaceId: string; actor: string },
  request: FastifyRequest,
  body: unknown,
): CommandContext {
  return { workspaceId: principal.workspaceId, actor: principal.actor, requestId: String(request.id), dialect: dialectOf(request, body) };
}
