import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_CODE_HEADER, ScimError } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SCIM_CONTENT_TYPE } from './scim-content-type';

/**
 * Requests Fastify refuses before routing — a path that is not valid percent-encoded UTF-8, a path
 * segment over `maxParamLength`, a request line and headers over Node's 16 KiB (a long filter in
 * the query string) — never reach Nest's exception filters. Fastify's own answers are neither SCIM
 * error bodies nor the admin API's `{error, message}`, and its header-overflow answer keeps no
 * `Connection: close` while it drops the socket, so a keep-alive client's next request on it fails.
 * These answer in the caller's format instead (found by the hostile-input fuzz).
 */

/** `/scim/v2…` and its path form `/workspaces/<slug>/scim/v2…` (before or after rewriting). */
const SCIM_TARGET = /^(?:\/workspaces\/[^/?#]*)?\/scim\/v2(?:[/?#]|$)/;

interface Refusal {
  status: number;
  /** SCIM error code and the admin API's error name. */
  scim: { code: 'SCIM_INVALID_SYNTAX' | 'SCIM_PAYLOAD_TOO_LARGE'; scimType?: 'invalidSyntax' };
  error: string;
  message: string;
}

function refusalFor(code: string | undefined): Refusal {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        scim: { code: 'SCIM_PAYLOAD_TOO_LARGE' },
        error: 'request_too_large',
        message: 'The request line and headers exceed 16 KiB; send a long filter in the body of POST …/.search',
      };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, scim: { code: 'SCIM_INVALID_SYNTAX', scimType: 'invalidSyntax' }, error: 'uri_too_long', message: 'A path segment is too long' };
    case 'FST_ERR_BAD_URL':
      return { status: 400, scim: { code: 'SCIM_INVALID_SYNTAX', scimType: 'invalidSyntax' }, error: 'invalid_request', message: 'The request path is not valid percent-encoded UTF-8' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, scim: { code: 'SCIM_INVALID_SYNTAX', scimType: 'invalidSyntax' }, error: 'request_timeout', message: 'The request was not received in time' };
    default:
      return { status: 400, scim: { code: 'SCIM_INVALID_SYNTAX', scimType: 'invalidSyntax' }, error: 'invalid_request', message: 'Malformed HTTP request' };
  }
}

/** The status, content type and body a refused request gets, in the format of the route it aimed at. */
export function transportErrorAnswer(
  target: string | undefined,
  code: string | undefined,
): { status: number; contentType: string; body: string; headers: Record<string, string> } {
  const refusal = refusalFor(code);
  if (target !== undefined && SCIM_TARGET.test(target)) {
    const error = new ScimError({ status: refusal.status, code: refusal.scim.code, ...(refusal.scim.scimType ? { scimType: refusal.scim.scimType } : {}), detail: refusal.message });
    return { status: refusal.status, contentType: SCIM_CONTENT_TYPE, body: JSON.stringify(error.toBody()), headers: { [ERROR_CODE_HEADER]: error.code } };
  }
  return {
    status: refusal.status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ statusCode: refusal.status, error: refusal.error, message: refusal.message }),
    headers: {},
  };
}

/** Fastify's `frameworkErrors`: refusals of a request it has read but cannot route. */
export function answerFrameworkError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const answer = transportErrorAnswer(request.url, error.code);
  void reply.status(answer.status).headers(answer.headers).header('Content-Type', answer.contentType).send(answer.body);
}

/** The request target of a raw request, as far as it arrived (the request line comes first). */
export function requestTargetOf(rawPacket: unknown): string | undefined {
  // Node passes a Buffer (Fastify's typings describe its JSON form).
  if (!Buffer.isBuffer(rawPacket)) return undefined;
  const line = rawPacket.subarray(0, 8_192).toString('latin1');
  return /^[A-Z]+ (\S+)/.exec(line)?.[1];
}

/** Fastify's `clientErrorHandler`: a request Node's HTTP parser refused. */
export function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  // A reset connection has nothing left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const answer = transportErrorAnswer(requestTargetOf(error.rawPacket), error.code);
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: ${answer.contentType}\r\n` +
        Object.entries(answer.headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('') +
        `Content-Length: ${Buffer.byteLength(answer.body)}\r\n\r\n${answer.body}`,
    );
  }
  socket.end();
}
