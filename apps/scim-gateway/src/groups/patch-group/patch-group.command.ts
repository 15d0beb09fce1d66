import type { PatchOperation } from '@axis/scim';
import type { WriteContext } from '@axis/write';

/** `PATCH /Groups/{id}`: the PatchOp's operations, normalised at the route; libs/domain reads every IdP's membership forms. */
export class PatchGroupCommand {
  constructor(
    readonly groupId: string,
    readonly operations: readonly PatchOperation[],
    readonly ifMatchRevision: number | undefined,
    readonly context: WriteContext,
  ) {}
}
