import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@axis/platform';
import { formatETag, type ProjectionRequest } from '@axis/scim';
import type { FastifyReply } from 'fastify';
import type { ScimPrincipal } from '../../auth/scim-bearer.guard';
import type { GatewayConfig } from '../../gateway.config';
import { scimBaseUrl } from '../../http/scim-base-url';
import { type GroupDecision, viewOfDecision } from './change-group';
import { GroupMemberDisplays } from './group-member-displays';
import { type GroupView, toScimGroup, wantsMembers } from './group-resource';

/**
 * The answer to a PUT or PATCH of a group: its new ETag, and the group as `projection` shows it
 * (members read only when shown) — or 204 No Content for a PATCH that asked for no representation.
 */
@Injectable()
export class GroupChangeResponse {
  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly memberDisplays: GroupMemberDisplays,
  ) {}

  async render(decision: GroupDecision, principal: ScimPrincipal, reply: FastifyReply, projection: ProjectionRequest): Promise<Record<string, unknown>> {
    const view = this.withETag(decision, reply);
    const members = wantsMembers(projection) ? await this.memberDisplays.ofState(principal.workspaceId, decision.state) : undefined;
    return toScimGroup(view, members, scimBaseUrl(this.config, principal.endpoint), projection);
  }

  noContent(decision: GroupDecision, reply: FastifyReply): undefined {
    this.withETag(decision, reply);
    void reply.status(204);
    return undefined;
  }

  private withETag(decision: GroupDecision, reply: FastifyReply): GroupView {
    const view = viewOfDecision(decision);
    void reply.header('ETag', formatETag(view.revision));
    return view;
  }
}
