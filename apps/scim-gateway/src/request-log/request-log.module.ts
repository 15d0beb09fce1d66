import { Module } from '@nestjs/common';
import { ScimRequestLog } from './scim-request-log';

/** The SCIM request log's writer and pruner (the hooks are registered by `startHttpApp`). */
@Module({ providers: [ScimRequestLog], exports: [ScimRequestLog] })
export class RequestLogModule {}
