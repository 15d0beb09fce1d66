import type { CommandContext } from '../../write/command-context';

/** `PUT /Users/{id}`: the full resource as sent; readOnly echoes (id, meta, groups) are ignored. */
export class ReplaceUserCommand {
  constructor(
    readonly userId: string,
    readonly body: unknown,
    readonly ifMatchRevision: number | undefined,
    readonly context: CommandContext,
  ) {}
}
