import { Global, Module } from '@nestjs/common';
import { ScimBearerGuard } from './scim-bearer.guard';

/** Authentication of SCIM requests; global so every resource module's routes can use the guard. */
@Global()
@Module({
  providers: [ScimBearerGuard],
  exports: [ScimBearerGuard],
})
export class AuthModule {}
