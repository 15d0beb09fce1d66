import type { WriteContext } from '@axis/write';

/** Provision a user: the normalised body of `POST /Users`. */
export class CreateUserCommand {
  constructor(
    readonly userName: string,
    readonly externalId: string | null,
    readonly active: boolean,
    readonly attributes: Record<string, unknown>,
    readonly context: WriteContext,
    /** Attributes of the body no schema of the workspace defines, recorded on the event. */
    readonly ignoredAttributes: string[] = [],
  ) {}
}
