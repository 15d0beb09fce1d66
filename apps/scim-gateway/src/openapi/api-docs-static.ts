import { dirname } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { OPENAPI_JSON_PATH } from './openapi';

export const API_DOCS_PATH = '/api/docs';

/**
 * The only swagger-ui-dist files the page needs. Its index.html and swagger-initializer.js would
 * open the public Petstore demo, and its source maps are no use in production: none is served.
 */
const SWAGGER_UI_FILES: ReadonlySet<string> = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/** Their names carry no hash but change only with a swagger-ui-dist upgrade: a day in caches, then revalidated (ETag, Last-Modified). */
const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/** On every answer under /api/docs: the page loads nothing from outside the product, and is never framed. */
export const API_DOCS_HEADERS: Readonly<Record<string, string>> = {
  // Swagger UI sets inline styles and draws its icons as data: images.
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>AxisSynapse admin API</title><link rel="stylesheet" href="${API_DOCS_PATH}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="${API_DOCS_PATH}/swagger-ui-bundle.js"></script><script src="${API_DOCS_PATH}/init.js"></script></body>
</html>
`;
/** `validatorUrl: null`: by default Swagger UI shows a badge fetched from validator.swagger.io. */
const INIT = `window.ui = SwaggerUIBundle({ url: '/${OPENAPI_JSON_PATH}', dom_id: '#swagger-ui', validatorUrl: null });\n`;

/** The swagger-ui-dist package's folder (a dependency of this app, the version @nestjs/swagger uses). */
export function swaggerUiDistDir(): string {
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

/**
 * `/api/docs`: a page rendering the OpenAPI document (`/api/docs-json`) with Swagger UI, whose
 * two files @fastify/static sends from swagger-ui-dist (ETag, Last-Modified, ranges, HEAD), and
 * only those two. The page and its init script are part of this release: revalidated every time.
 */
export async function registerApiDocs(fastify: FastifyInstance, swaggerUiDir: string = swaggerUiDistDir()): Promise<void> {
  await fastify.register(fastifyStatic, {
    root: swaggerUiDir,
    prefix: `${API_DOCS_PATH}/`,
    // The admin console's registration already decorates the reply with sendFile.
    decorateReply: false,
    index: false,
    allowedPath: (pathName) => SWAGGER_UI_FILES.has(pathName.replace(/^\//, '')),
    maxAge: ONE_DAY_MS,
    setHeaders: (reply) => void reply.headers(API_DOCS_HEADERS),
  });
  const sendOwn = (reply: FastifyReply, type: string, body: string) => reply.headers(API_DOCS_HEADERS).header('Cache-Control', 'no-cache').type(type).send(body);
  fastify.get(API_DOCS_PATH, (_request, reply) => sendOwn(reply, 'text/html; charset=utf-8', PAGE));
  fastify.get(`${API_DOCS_PATH}/init.js`, (_request, reply) => sendOwn(reply, 'application/javascript; charset=utf-8', INIT));
}
