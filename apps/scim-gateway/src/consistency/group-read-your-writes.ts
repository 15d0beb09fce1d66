import { Injectable } from '@nestjs/common';
import { ReadYourWrites } from './read-your-writes';

/**
 * Read-your-writes for the writes the group projection sees: group writes, and user deletions
 * (it drops a deleted user from every group). A projection's checkpoint moves only when it handles
 * an event it subscribes to, so a tracker shared with every user write would make group reads wait
 * for the group projection to pass a user write it never sees: these writes keep their own
 * tracker, waited on with GROUPS_PROJECTION — by group reads, and by user reads, whose `groups`
 * the group projection fills.
 */
@Injectable()
export class GroupReadYourWrites extends ReadYourWrites {
  protected override readonly tracker = 'groups';
}

/** Read-your-writes for role-mapping writes, waited on with the group-membership reactor. */
@Injectable()
export class RoleMappingReadYourWrites extends ReadYourWrites {
  protected override readonly tracker = 'role-mappings';
}
