// Example receiver of the notifier's webhooks (docs/asyncapi.yaml, channel webhookDeliveries).
//   WEBHOOK_SECRET=whsec_... PORT=8080 node examples/webhook-receiver/receiver.js
// - Verifies every delivery's Standard Webhooks signature (and its timestamp, 5 minutes either
//   way) with the `standardwebhooks` package before reading it; a bad one is a 401.
// - Answers 2xx as soon as the event is handled: anything else, or a slow answer, is retried.
// - Idempotent: a retry or a redelivery carries the same `webhook-id` (the event id); one already
//   handled is acknowledged again without being handled twice. The seen-set here is in memory
//   (bounded); a real service keeps it with its own state, in the same transaction as the effect.
'use strict';
const { Buffer } = require('node:buffer');
const { createServer } = require('node:http');
const { Webhook } = require('standardwebhooks');

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  process.stderr.write('WEBHOOK_SECRET is required (whsec_..., shown once when the subscription is created)\n');
  process.exit(1);
}
const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REMEMBERED = 100000;

const webhook = new Webhook(secret);
const handled = new Set(); // insertion-ordered: the oldest ids are dropped first

function remember(id) {
  handled.add(id);
  if (handled.size > MAX_REMEMBERED) handled.delete(handled.values().next().value);
}

async function handle(event) {
  // Your effect goes here. Keep it idempotent or transactional with the de-duplication record.
  process.stdout.write(`handled ${event.type} ${event.subject} id=${event.id} workspace=${event.workspaceId} revision=${event.streamRevision}\n`);
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const server = createServer(async (request, response) => {
  if (request.method !== 'POST') return response.writeHead(405).end();
  let event;
  try {
    // The signature covers the raw body: verify it before parsing or trusting anything in it.
    event = webhook.verify(await readBody(request), request.headers);
  } catch (error) {
    process.stdout.write(`rejected: ${error.message}\n`);
    return response.writeHead(401).end();
  }
  const id = request.headers['webhook-id'];
  if (handled.has(id)) {
    process.stdout.write(`duplicate webhook-id=${id}\n`);
    return response.writeHead(204).end();
  }
  // Remembered before the effect, so a copy arriving meanwhile is not handled a second time.
  remember(id);
  try {
    await handle(event);
    response.writeHead(204).end();
  } catch (error) {
    // Not acknowledged: forget it, so the notifier's retry (on its back-off schedule) is handled.
    handled.delete(id);
    process.stderr.write(`failed to handle ${id}: ${error.message}\n`);
    response.writeHead(500).end();
  }
});

server.listen(port, host, () => process.stdout.write(`listening on http://${host}:${server.address().port}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
