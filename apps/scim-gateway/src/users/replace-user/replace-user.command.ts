import type { JsonObject } from '@axis/scim';
import type { WriteContext } from '@axis/write';

/** `PUT /Users/{id}`: the full resource as sent, checked at the route; readOnly echoes (id, meta, groups) are ignored. */
export class ReplaceUserCommand {
  constructor(
    readonly userId: string,
    readonly resource: JsonObject,
    readonly ifMatchRevision: number | undefined,
    readonly context: WriteContext,
  ) {}
}
