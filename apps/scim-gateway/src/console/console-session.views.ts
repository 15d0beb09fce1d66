import { ApiProperty } from '@nestjs/swagger';

export class ConsoleAdminView {
  @ApiProperty({ format: 'uuid', description: 'The admin key the session was opened with' })
  keyId!: string;

  @ApiProperty({ example: 'adm_AbCd1234', description: 'Its visible prefix; actions are recorded as admin:<keyPrefix>' })
  keyPrefix!: string;

  @ApiProperty({ example: 'Alice Martin', description: "The key's description, else its prefix: the admin's name in the console header" })
  name!: string;
}

/** The signed-in admin, as the console shows it. */
export class ConsoleSessionView {
  @ApiProperty({ example: 'acme', description: 'The workspace the session is for (its slug)' })
  workspace!: string;

  @ApiProperty({ type: ConsoleAdminView })
  admin!: ConsoleAdminView;

  @ApiProperty({ description: 'Send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE made with the session cookie' })
  csrfToken!: string;

  @ApiProperty({ format: 'date-time', description: 'When the session ends unless used again before (idle expiry, capped by the absolute one)' })
  expiresAt!: string;
}
