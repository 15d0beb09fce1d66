import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyReply } from 'fastify';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>AxisSynapse admin API</title><link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/api/docs/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body>
</html>
`;
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/docs-json', dom_id: '#swagger-ui' });\n`;

const assets = new Map<string, Buffer | null>();

/** Swagger UI's two files, from the swagger-ui-dist that @nestjs/swagger brings; read once. */
function asset(name: 'swagger-ui.css' | 'swagger-ui-bundle.js'): Buffer {
  if (!assets.has(name)) {
    try {
      const packageJson = require.resolve('swagger-ui-dist/package.json', { paths: [dirname(require.resolve('@nestjs/swagger'))] });
      assets.set(name, readFileSync(join(dirname(packageJson), name)));
    } catch {
      assets.set(name, null);
    }
  }
  const content = assets.get(name);
  if (!content) throw new NotFoundException();
  return content;
}

/** `/api/docs`: a page rendering the OpenAPI document with Swagger UI. */
@ApiExcludeController()
@Controller('api/docs')
export class ApiDocsRoute {
  @Get()
  page(@Res() reply: FastifyReply): void {
    void reply.type('text/html; charset=utf-8').send(PAGE);
  }

  @Get('init.js')
  init(@Res() reply: FastifyReply): void {
    void reply.type('application/javascript; charset=utf-8').send(INIT);
  }

  @Get('swagger-ui.css')
  css(@Res() reply: FastifyReply): void {
    void reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=86400').send(asset('swagger-ui.css'));
  }

  @Get('swagger-ui-bundle.js')
  bundle(@Res() reply: FastifyReply): void {
    void reply.type('application/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=86400').send(asset('swagger-ui-bundle.js'));
  }
}
