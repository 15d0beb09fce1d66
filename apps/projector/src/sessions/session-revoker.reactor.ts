import { STREAM_CATEGORY, type UserEvent } from '@axis/domain';
import type { ConsumerDefinition } from '@axis/platform';
import { revokeMemberSessions, SESSION_REVOKER } from '@axis/read-model';

/** The upstream changes that end every session of a member. */
const REVOKING_EVENTS: ReadonlyArray<UserEvent['type']> = ['ACCOUNT_SCIM_USER_DEACTIVATED', 'ACCOUNT_SCIM_USER_DELETED'];

/**
 * Revokes a member's live sessions when the IdP deactivates or deletes the member. A reactor, not
 * a projection: it has its own checkpoint, so rebuilding the member projection never re-runs it
 * (and never revokes sessions opened after a reactivation). The revocation commits with the
 * checkpoint in one transaction, so each event revokes exactly once.
 */
export const sessionRevoker: ConsumerDefinition = {
  name: SESSION_REVOKER,
  kind: 'reactor',
  filter: { streamPrefixes: [`${STREAM_CATEGORY.user}-`], eventTypes: [...REVOKING_EVENTS] },
  async handle(events, manager) {
    const at = new Date().toISOString();
    for (const event of events) {
      const userId = event.data['userId'];
      if (typeof userId === 'string') await revokeMemberSessions(manager, userId, at, event.type);
    }
  },
};
