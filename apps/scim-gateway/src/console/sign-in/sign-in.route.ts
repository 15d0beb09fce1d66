import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { HttpConfig } from '@axis/config';
import { APP_CONFIG } from '@axis/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminKeyUsage } from '../admin-key-usage';
import { JsonApi } from '../../json-api/json-api.decorators';
import { setConsoleCookie } from '../console-cookie';
import { ConsoleSessionView } from '../console-session.views';
import { ConsoleSessions } from '../console-sessions';
import { csrfError, originRefusal } from '../csrf';
import { SignInDto } from './sign-in.dto';

/**
 * Console sign-in: an admin key (in the JSON body, never in a URL; request bodies are never
 * logged) for an HttpOnly session cookie. The key itself is not kept by the console.
 */
@Controller('api/v1/console/sessions')
@JsonApi('Console session')
export class SignInRoute {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly usage: AdminKeyUsage,
    @Inject(APP_CONFIG) private readonly config: HttpConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign in to a workspace with an admin key',
    description:
      'Sets the `axis_console` session cookie (HttpOnly, SameSite=Strict, Path=/, Secure when PUBLIC_URL is https). ' +
      'Send the returned csrfToken as X-CSRF-Token on every state-changing request made with the cookie.',
  })
  @ApiCreatedResponse({ type: ConsoleSessionView })
  @ApiUnauthorizedResponse({ description: 'Wrong admin key or workspace (the same answer whichever is wrong)' })
  @ApiForbiddenResponse({ description: 'Origin header of another site (error csrf)' })
  async signIn(@Body() body: SignInDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<ConsoleSessionView> {
    // Login CSRF: another site must not sign a browser in with the attacker's key.
    const refusal = originRefusal(request, this.config.publicUrl());
    if (refusal) throw csrfError(refusal);
    const { secret, active } = await this.sessions.signIn(body.workspace, body.adminKey);
    this.usage.touch(active.key.id);
    setConsoleCookie(reply, secret, this.config);
    return this.sessions.view(active);
  }
}
