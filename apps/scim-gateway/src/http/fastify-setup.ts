import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { rewriteWorkspacePath } from './workspace-endpoint';
import { findJsonProblem, findRawJsonProblem } from '@axis/scim';
import { answerClientError, answerFrameworkError } from './transport-errors';
import { malformedJson, unstorableJson, unsupportedMediaType } from './unreadable-body';
import { SCIM_CONTENT_TYPE } from './scim-content-type';

/** SCIM clients send `application/scim+json`; Entra and Okta also send plain JSON. */
export function createFastifyAdapter(maxBodyBytes: number): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: maxBodyBytes,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
    // Route matching is case-sensitive per RFC 7644, but IdPs vary trailing slashes.
    routerOptions: { ignoreTrailingSlash: true },
    // `/workspaces/<slug>/scim/v2/…` is served by the same routes as `/scim/v2/…`.
    rewriteUrl: rewriteWorkspacePath,
    // Refusals before routing answer in the caller's format too (SCIM error body or admin JSON).
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
}

export function registerScimContentTypes(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    [SCIM_CONTENT_TYPE, 'application/json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      const shape = findRawJsonProblem(text);
      if (shape) return done(null, unstorableJson(shape));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        done(null, malformedJson());
        return;
      }
      const problem = findJsonProblem(parsed);
      done(null, problem ? unstorableJson(problem) : parsed);
    },
  );
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request, _body, done) => {
    done(null, unsupportedMediaType(request.headers['content-type']));
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Request-Id', String(request.id));
    if (request.url.includes('/scim/v2') && String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
      reply.header('Content-Type', 'application/scim+json; charset=utf-8');
    }
    return payload;
  });
}
