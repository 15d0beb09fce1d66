import type { WriteContext } from '@axis/write';

/** `DELETE /Groups/{id}` (Okta "delete in target", Entra): the group and its memberships end. */
export class DeleteGroupCommand {
  constructor(
    readonly groupId: string,
    readonly ifMatchRevision: number | undefined,
    readonly context: WriteContext,
  ) {}
}
