import type { CommandContext } from '../../write/command-context';

/** Provision a group: the normalised body of `POST /Groups`. */
export class CreateGroupCommand {
  constructor(
    readonly displayName: string,
    readonly externalId: string | null,
    readonly memberIds: string[],
    readonly context: CommandContext,
  ) {}
}
