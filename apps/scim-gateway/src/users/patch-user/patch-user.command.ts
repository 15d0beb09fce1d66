import type { PatchOperation } from '@axis/scim';
import type { WriteContext } from '@axis/write';

/** `PATCH /Users/{id}`: the PatchOp's operations, normalised at the route from every IdP dialect (libs/scim). */
export class PatchUserCommand {
  constructor(
    readonly userId: string,
    readonly operations: readonly PatchOperation[],
    readonly ifMatchRevision: number | undefined,
    readonly context: WriteContext,
  ) {}
}
