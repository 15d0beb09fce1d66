import { Controller, Get, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { JsonApi } from '../../json-api/json-api.decorators';
import { CONSOLE_COOKIE, consoleCookieOf } from '../console-cookie';
import { ConsoleSessionView } from '../console-session.views';
import { ConsoleSessions, unauthorizedConsole } from '../console-sessions';

/** What the console asks on load: who is signed in (and the CSRF token), or 401 to show sign-in. */
@Controller('api/v1/console/session')
@JsonApi('Console session')
@ApiCookieAuth(CONSOLE_COOKIE)
export class GetSessionRoute {
  constructor(private readonly sessions: ConsoleSessions) {}

  @Get()
  @ApiOperation({ summary: 'The session of the console cookie' })
  @ApiOkResponse({ type: ConsoleSessionView })
  @ApiUnauthorizedResponse({ description: 'No session, or it has ended (signed out, expired, admin key revoked)' })
  async get(@Req() request: FastifyRequest): Promise<ConsoleSessionView> {
    const active = await this.sessions.resolve(consoleCookieOf(request));
    if (!active) throw unauthorizedConsole();
    return this.sessions.view(active);
  }
}
