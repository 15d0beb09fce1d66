import type { CommandContext } from '../../write/command-context';

/** `DELETE /Users/{id}`: unlike deactivation, the member is gone (Entra deletes after soft-delete). */
export class DeleteUserCommand {
  constructor(
    readonly userId: string,
    readonly ifMatchRevision: number | undefined,
    readonly context: CommandContext,
  ) {}
}
