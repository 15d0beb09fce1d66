import type { WriteContext } from '@axis/write';

/** Provision a group: the normalised body of `POST /Groups`. */
export class CreateGroupCommand {
  constructor(
    readonly displayName: string,
    readonly externalId: string | null,
    readonly memberIds: string[],
    readonly context: WriteContext,
  ) {}
}
