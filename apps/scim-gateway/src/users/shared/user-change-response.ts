import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@axis/platform';
import { formatETag } from '@axis/scim';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ScimPrincipal } from '../../auth/scim-bearer.guard';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { RejectionRecorder } from '../../rejections/rejection-recorder';
import type { UserChange } from './change-user';
import { recordIgnoredWithoutChange } from './ignored-attributes';
import { projectionOf } from './user-request';
import { toScimUser } from './user-resource';

/**
 * The answer to a PUT or PATCH of a user: 200 with the ETag and the resource as the workspace's
 * schemas show it (honouring attributes/excludedAttributes), after recording an operation that
 * changed nothing but ignored attributes.
 */
@Injectable()
export class UserChangeResponse {
  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly workspaceSchemas: WorkspaceSchemas,
    private readonly rejections: RejectionRecorder,
  ) {}

  async render(
    change: UserChange,
    principal: ScimPrincipal,
    request: FastifyRequest,
    reply: FastifyReply,
    query: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    recordIgnoredWithoutChange(this.rejections, request, principal, change);
    void reply.header('ETag', formatETag(change.user.revision));
    const { reads } = await this.workspaceSchemas.forWorkspace(principal.workspaceId);
    return toScimUser(change.user, scimBaseUrl(this.config, principal.endpoint), projectionOf(query), reads);
  }
}
