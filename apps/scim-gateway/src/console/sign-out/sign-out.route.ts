import { Controller, Delete, HttpCode, Inject, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiHeader, ApiNoContentResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { HttpConfig } from '@axis/config';
import { APP_CONFIG } from '@axis/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonApi } from '../../json-api/json-api.decorators';
import { clearConsoleCookie, CONSOLE_COOKIE, consoleCookieOf } from '../console-cookie';
import { ConsoleSessions, unauthorizedConsole } from '../console-sessions';
import { csrfError, csrfRefusal } from '../csrf';

@Controller('api/v1/console/session')
@JsonApi('Console session')
@ApiCookieAuth(CONSOLE_COOKIE)
export class SignOutRoute {
  constructor(
    private readonly sessions: ConsoleSessions,
    @Inject(APP_CONFIG) private readonly config: HttpConfig,
  ) {}

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session on the server and clears the cookie' })
  @ApiHeader({ name: 'X-CSRF-Token', required: true, description: 'The csrfToken of the session' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiUnauthorizedResponse({ description: 'No live session' })
  @ApiForbiddenResponse({ description: 'Missing or wrong X-CSRF-Token, or an Origin of another site (error csrf)' })
  async signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const active = await this.sessions.resolve(consoleCookieOf(request));
    if (!active) throw unauthorizedConsole();
    const refusal = csrfRefusal(request, active.session.csrfToken, this.config.publicUrl());
    if (refusal) throw csrfError(refusal);
    await this.sessions.signOut(active.session.id);
    clearConsoleCookie(reply, this.config);
  }
}
