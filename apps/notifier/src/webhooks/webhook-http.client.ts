import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveWebhookTarget, WebhookTargetRefusedError } from '@axis/write';

export interface WebhookHttpResult {
  /** HTTP status, or null when no response came (timeout, connection error, refused target). */
  statusCode: number | null;
  error: string | null;
  retryAfterMs: number | null;
  /** True when the URL itself was refused (private address …): retrying may help after a DNS fix. */
  refused: boolean;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one signed delivery. The host is resolved and every address checked right before the
 * request, and the socket connects to a checked address (the `lookup` hook), so the name cannot
 * be re-resolved to an internal address in between. No redirects are followed; the whole
 * exchange is bounded by `timeoutMs`.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<WebhookHttpResult> {
  let target;
  try {
    target = await resolveWebhookTarget(url, { allowPrivate: options.allowPrivate });
  } catch (error) {
    const message = error instanceof WebhookTargetRefusedError ? error.message : String(error);
    return { statusCode: null, error: `target refused: ${message}`, retryAfterMs: null, refused: true };
  }
  const pinned = target.addresses[0]!;
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) {
      (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [pinned]);
    } else {
      callback(null, pinned.address, pinned.family);
    }
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'AxisSynapse-Webhooks/1.0',
    },
    lookup,
    signal: AbortSignal.timeout(options.timeoutMs),
    agent: false,
  };
  return new Promise<WebhookHttpResult>((resolve) => {
    let settled = false;
    const finish = (result: WebhookHttpResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = send(target.url, requestOptions, (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) response.destroy();
      });
      const done = () =>
        finish({
          statusCode: response.statusCode ?? null,
          error: null,
          retryAfterMs: retryAfterOf(response.headers['retry-after']),
          refused: false,
        });
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    req.on('error', (error: Error) => {
      const message = error.name === 'AbortError' || error.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : error.message;
      finish({ statusCode: null, error: message, retryAfterMs: null, refused: false });
    });
    req.end(body);
  });
}

function retryAfterOf(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
