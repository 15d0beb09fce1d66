/**
 * Checkpoint names of the read-model projections: the projector writes them, the gateway waits
 * on them for read-your-writes, and operators see them in `projections status`.
 */
export const MEMBERS_PROJECTION = 'members';

/** Workspaces, their SCIM tokens and admin keys (`workspaces`, `scim_tokens`, `admin_keys`). */
export const WORKSPACES_PROJECTION = 'workspaces';

/**
 * The session revoker: a reactor, not a projection. Its own checkpoint, so replaying a projection
 * never revokes sessions again.
 */
export const SESSION_REVOKER = 'session-revoker';
