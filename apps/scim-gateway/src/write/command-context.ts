import type { FastifyRequest } from 'fastify';
import type { WriteContext } from '@axis/write';
import { dialectOf } from '../http/request-dialect';

/** The context of a SCIM request's command: its workspace, token, request id and IdP dialect. */
export function commandContextOf(principal: { workspaceId: string; actor: string }, request: FastifyRequest, body: unknown): WriteContext {
  return { workspaceId: principal.workspaceId, actor: principal.actor, requestId: String(request.id), dialect: dialectOf(request, body) };
}
