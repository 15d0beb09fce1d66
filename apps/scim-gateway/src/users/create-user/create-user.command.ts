import type { IdpDialect } from '@axis/domain';

/** Provision a user: the normalised body of `POST /Users`. */
export class CreateUserCommand {
  constructor(
    readonly workspaceId: string,
    readonly userName: string,
    readonly externalId: string | null,
    readonly active: boolean,
    readonly attributes: Record<string, unknown>,
    readonly context: CommandContext,
  ) {}
}

/** Who asked, and how: goes into every event's metadata. */
export interface CommandContext {
  actor: string;
  requestId: string;
  dialect: IdpDialect;
}
