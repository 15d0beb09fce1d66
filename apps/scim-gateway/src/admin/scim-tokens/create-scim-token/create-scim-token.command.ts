import type { AdminPrincipal } from '../../auth/admin-key.guard';

/** Settings → Identity → SCIM → Generate token. */
export class CreateScimTokenCommand {
  constructor(
    readonly admin: AdminPrincipal,
    readonly description: string | null,
    readonly requestId: string,
  ) {}
}
