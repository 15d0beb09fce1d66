import type { CommandContext } from '../../write/command-context';

/** `PUT /Groups/{id}` (Okta AIW apps): the full group as sent; readOnly echoes are ignored. */
export class ReplaceGroupCommand {
  constructor(
    readonly groupId: string,
    readonly body: unknown,
    readonly ifMatchRevision: number | undefined,
    readonly context: CommandContext,
  ) {}
}
