/** Checkpoint of the group projection (`groups`, `group_members`): the gateway waits on it. */
export const GROUPS_PROJECTION = 'groups';

/**
 * Checkpoint of the group-membership reactor: removes deleted members from their groups and
 * announces changes of members' effective roles. A reactor: never re-run by a projection replay.
 */
export const GROUP_MEMBERSHIP_REACTOR = 'group-membership';
