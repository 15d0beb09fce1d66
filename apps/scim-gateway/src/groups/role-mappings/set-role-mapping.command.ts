import type { WriteContext } from '@axis/write';

/** Set the product roles a group grants (admin API). */
export class SetRoleMappingCommand {
  constructor(
    readonly groupId: string,
    readonly roles: string[],
    readonly context: WriteContext,
  ) {}
}
