import { type AuthenticatedRequest, requestFacts, type ScimPrincipal, tokenPrefixOf } from '../../auth/scim-bearer.guard';
import { dialectOf } from '../../http/request-dialect';
import type { RejectionRecorder } from '../../rejections/rejection-recorder';
import type { UserChange } from './change-user';

/**
 * A PUT or PATCH that changed nothing but ignored attributes (a mapping to an attribute the
 * workspace does not define, re-sent on every sync) has no event to list them on: it is recorded
 * as `SCIM_ATTRIBUTES_IGNORED` in the workspace's rejection log instead, so the admin still sees
 * the mis-mapping in the Security Console (throttled like the other records there).
 */
export function recordIgnoredWithoutChange(recorder: RejectionRecorder, request: AuthenticatedRequest, principal: ScimPrincipal, change: UserChange): void {
  if (change.appended || change.ignoredAttributes.length === 0) return;
  recorder.record(
    {
      type: 'SCIM_ATTRIBUTES_IGNORED',
      data: { ...requestFacts(request, principal.workspaceId, tokenPrefixOf(principal)), userId: change.user.id, ignoredAttributes: [...change.ignoredAttributes] },
    },
    { actor: principal.actor, requestId: String(request.id), dialect: dialectOf(request, request.body) },
  );
}
