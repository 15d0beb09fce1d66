import type { AdminPrincipal } from '../../auth/admin-key.guard';

export class RevokeScimTokenCommand {
  constructor(
    readonly admin: AdminPrincipal,
    readonly tokenId: string,
    readonly requestId: string,
  ) {}
}
