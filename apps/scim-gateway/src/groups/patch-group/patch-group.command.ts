import type { CommandContext } from '../../write/command-context';

/** `PATCH /Groups/{id}`: the PatchOp body as sent; libs/domain reads every IdP's membership forms. */
export class PatchGroupCommand {
  constructor(
    readonly groupId: string,
    readonly body: unknown,
    readonly ifMatchRevision: number | undefined,
    readonly context: CommandContext,
  ) {}
}
