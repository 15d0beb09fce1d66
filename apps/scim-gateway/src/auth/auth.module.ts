import { Global, Module } from '@nestjs/common';
import { WorkspaceRateLimiter } from '../rate-limit/workspace-rate-limiter';
import { RejectionRecorder } from '../rejections/rejection-recorder';
import { ScimBearerGuard } from './scim-bearer.guard';
import { ScimTokenVerifier } from './scim-token-verifier';

/**
 * Authentication and per-workspace rate limiting of SCIM requests; global so every resource
 * module's routes can use the guard, and the admin API can forget cached tokens it revoked.
 */
@Global()
@Module({
  providers: [ScimBearerGuard, ScimTokenVerifier, WorkspaceRateLimiter, RejectionRecorder],
  exports: [ScimBearerGuard, ScimTokenVerifier, WorkspaceRateLimiter, RejectionRecorder],
})
export class AuthModule {}
