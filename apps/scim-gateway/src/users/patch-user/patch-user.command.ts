import type { CommandContext } from '../../write/command-context';

/** `PATCH /Users/{id}`: the PatchOp body as sent; libs/scim normalises every IdP dialect. */
export class PatchUserCommand {
  constructor(
    readonly userId: string,
    readonly body: unknown,
    readonly ifMatchRevision: number | undefined,
    readonly context: CommandContext,
  ) {}
}
