import type { AdminPrincipal } from '../../auth/admin-key.guard';

export class RevokeAdminKeyCommand {
  constructor(
    readonly admin: AdminPrincipal,
    readonly keyId: string,
    readonly requestId: string,
  ) {}
}
