import type { CommandContext } from '../../write/command-context';

/** Set the product roles a group grants (admin API). */
export class SetRoleMappingCommand {
  constructor(
    readonly groupId: string,
    readonly roles: string[],
    readonly context: CommandContext,
  ) {}
}
