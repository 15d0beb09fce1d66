import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { type JsonProblem, ScimError, scimErrors } from '@axis/scim';

/**
 * A body Fastify could not read. Parsing does not fail the request on the spot: the request is
 * authenticated first (a stranger learns nothing from our parser, and an IdP's malformed request
 * is recorded for the Security Console against its workspace), then `UnreadableBodyPipe`
 * turns this into the SCIM error.
 */
export class UnreadableBody {
  constructor(readonly error: ScimError) {}
}

export function malformedJson(): UnreadableBody {
  return new UnreadableBody(scimErrors.invalidSyntax('Request body is not valid JSON'));
}

/** A body that parsed but that no store can keep as sent (see libs/scim's json-hygiene). */
export function unstorableJson(problem: JsonProblem): UnreadableBody {
  // Too wide is a size limit, like the group PATCH's 10,000 members: 413, as that one answers.
  if (problem.kind === 'too-wide') return new UnreadableBody(scimErrors.payloadTooLarge(problem.detail));
  return new UnreadableBody(problem.kind === 'too-deep' ? scimErrors.invalidSyntax(problem.detail) : scimErrors.invalidValue(problem.detail));
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

/**
 * A global pipe because pipes run after the guards, so the refusal has a principal to be recorded
 * against; and not an interceptor, because one global interceptor wraps every request of the
 * gateway in an RxJS pipeline (measured: about a sixth of a cheap GET's CPU time). A route that
 * takes no body ignores an unreadable one.
 */
@Injectable()
export class UnreadableBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' && value instanceof UnreadableBody) throw value.error;
    return value;
  }
}
