import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ADMIN_KEY_SECURITY } from '../admin/auth/admin.decorators';
import { CONSOLE_COOKIE } from '../console/console-cookie';
import { SERVICE_KEY_SECURITY } from '../sessions/auth/internal-api.decorators';

export const OPENAPI_JSON_PATH = 'api/docs-json';
const DOCUMENTED_PATHS = /^\/(api\/v1|internal\/v1)\//;

/**
 * The OpenAPI document of the admin and internal APIs (SCIM is specified by RFC 7643/7644 and
 * `/scim/v2/Schemas`). Served as JSON at `/api/docs-json` (and YAML at `/api/docs-yaml`); the
 * page at `/api/docs` (registerApiDocs) renders it. Swagger's own UI (`ui: true`) stays off: it
 * would serve every file of swagger-ui-dist, its Petstore demo page and source maps included.
 */
export function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('AxisSynapse admin API')
    .setDescription(
      'Workspace administration (SCIM tokens, members) under /api/v1/workspaces/{slug}, authenticated by admin API keys ' +
        '(`Authorization: Bearer adm_…`) or by the admin console\'s session cookie (`POST /api/v1/console/sessions`; ' +
        'state-changing requests then carry `X-CSRF-Token`), and the internal session endpoints under /internal/v1 (`Authorization: Bearer <SESSION_SERVICE_KEY>`).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An admin API key of the workspace (adm_…)' }, ADMIN_KEY_SECURITY)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'SESSION_SERVICE_KEY' }, SERVICE_KEY_SECURITY)
    .addCookieAuth(CONSOLE_COOKIE, { type: 'apiKey', in: 'cookie', name: CONSOLE_COOKIE, description: 'Admin console session (POST /api/v1/console/sessions)' }, CONSOLE_COOKIE)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Every admin or internal route, whichever module declares it; SCIM and health stay out.
  document.paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => DOCUMENTED_PATHS.test(path)));
  SwaggerModule.setup('api/docs', app, document, { ui: false, jsonDocumentUrl: OPENAPI_JSON_PATH, yamlDocumentUrl: 'api/docs-yaml' });
}
