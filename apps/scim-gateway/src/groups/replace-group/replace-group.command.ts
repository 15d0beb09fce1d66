import type { JsonObject } from '@axis/scim';
import type { WriteContext } from '@axis/write';

/** `PUT /Groups/{id}` (Okta AIW apps): the full group as sent, checked at the route; readOnly echoes are ignored. */
export class ReplaceGroupCommand {
  constructor(
    readonly groupId: string,
    readonly resource: JsonObject,
    readonly ifMatchRevision: number | undefined,
    readonly context: WriteContext,
  ) {}
}
