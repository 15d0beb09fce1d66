/**
 * Checkpoint names of the read-model projections: the projector writes them, the gateway waits
 * on them for read-your-writes, and operators see them in `projections status`.
 */
export const MEMBERS_PROJECTION = 'members';
