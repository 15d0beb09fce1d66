import type { ConsumerDefinition } from '@axis/platform';
import { GROUPS_PROJECTION, MEMBERS_PROJECTION, WORKSPACES_PROJECTION } from '@axis/read-model';
import { groupsProjection } from './groups/groups.projection';
import { membersProjection } from './members/members.projection';
import { workspacesProjection } from './workspaces/workspaces.projection';

/**
 * Projections that can be rebuilt blue/green, with the tables each owns (and no other consumer
 * writes): every projection of the projector. The reactors' own tables (`group_membership_index`,
 * `member_roles` …) are not here: they record effects already had, and a reactor is never replayed.
 */
export const REPLAYABLE: Record<string, { projection: ConsumerDefinition; tables: readonly string[]; indexesAfterLoad?: boolean }> = {
  // The members projection reads and deletes by primary key only (members.id, member_emails' (member_id, ordinal)).
  [MEMBERS_PROJECTION]: { projection: membersProjection, tables: ['members', 'member_emails'], indexesAfterLoad: true },
  [GROUPS_PROJECTION]: { projection: groupsProjection, tables: ['groups', 'group_members'] },
  // The gateway's token and key last-use times live in `scim_token_usage` and `admin_key_usage`,
  // and console sessions in `console_sessions`: outside the rebuild.
  [WORKSPACES_PROJECTION]: { projection: workspacesProjection, tables: ['workspaces', 'scim_tokens', 'admin_keys'] },
};
