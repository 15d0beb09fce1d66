import type { AdminPrincipal } from '../../auth/admin-key.guard';

export class CreateAdminKeyCommand {
  constructor(
    readonly admin: AdminPrincipal,
    readonly description: string,
    readonly requestId: string,
  ) {}
}
