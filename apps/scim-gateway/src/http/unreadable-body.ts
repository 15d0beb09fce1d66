import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ScimError, scimErrors } from '@axis/scim';
import type { Observable } from 'rxjs';

/**
 * A body Fastify could not read. Parsing does not fail the request on the spot: the request is
 * authenticated first (a stranger learns nothing from our parser, and an IdP's malformed request
 * is recorded for the Security Console against its workspace), then `UnreadableBodyInterceptor`
 * turns this into the SCIM error.
 */
export class UnreadableBody {
  constructor(readonly error: ScimError) {}
}

export function malformedJson(): UnreadableBody {
  return new UnreadableBody(scimErrors.invalidSyntax('Request body is not valid JSON'));
}

export function unsupportedMediaType(contentType: string | undefined): UnreadableBody {
  return new UnreadableBody(
    new ScimError({
      status: 415,
      code: 'SCIM_INVALID_SYNTAX',
      scimType: 'invalidSyntax',
      detail: `Unsupported content type${contentType ? ` ${contentType.split(';')[0]}` : ''}; send application/scim+json`,
    }),
  );
}

/** Runs after the guards, so the refusal has a principal to be recorded against. */
@Injectable()
export class UnreadableBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    if (body instanceof UnreadableBody) throw body.error;
    return next.handle();
  }
}
