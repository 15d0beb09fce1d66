import { Injectable } from '@nestjs/common';
import { ReadYourWrites } from '../../consistency/read-your-writes';

/**
 * Read-your-writes for group writes only. A projection's checkpoint moves only when it handles an
 * event it subscribes to, so a tracker shared with user writes would make group reads wait for
 * the group projection to pass a user write it never sees (and the other way round): groups keep
 * their own tracker, waited on with GROUPS_PROJECTION.
 */
@Injectable()
export class GroupReadYourWrites extends ReadYourWrites {}

/** Read-your-writes for role-mapping writes, waited on with the group-membership reactor. */
@Injectable()
export class RoleMappingReadYourWrites extends ReadYourWrites {}
