import type { WriteContext } from '@axis/write';

/** `DELETE /Users/{id}`: unlike deactivation, the member is gone (Entra deletes after soft-delete). */
export class DeleteUserCommand {
  constructor(
    readonly userId: string,
    readonly ifMatchRevision: number | undefined,
    readonly context: WriteContext,
  ) {}
}
