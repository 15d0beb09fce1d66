import type { ScimConnectionStats } from '@axis/read-model';
import type { ScimChecklistStep } from './scim-connection.views';

/**
 * The documentation's pilot scope is "a single security group of 5-10 users"; opening the scope
 * means "add the remaining groups". Either sign counts: more SCIM users than the largest pilot, or
 * more than the one pilot group provisioned (IdPs that push groups).
 */
export const PILOT_MAX_USERS = 10;
export const PILOT_GROUPS = 1;

/** Settings → Identity → SCIM's pilot checklist: token, test connection seen, pilot users landed, scope opened. */
export function pilotChecklist(stats: ScimConnectionStats): ScimChecklistStep[] {
  const users = `${stats.scimUsers} SCIM user${stats.scimUsers === 1 ? '' : 's'}`;
  const groups = `${stats.scimGroups} group${stats.scimGroups === 1 ? '' : 's'}`;
  return [
    {
      step: 'token',
      done: stats.tokensCreated > 0,
      detail: stats.tokensCreated > 0 ? `${stats.activeTokens} active token${stats.activeTokens === 1 ? '' : 's'}` : 'No SCIM token generated yet',
    },
    {
      step: 'testConnection',
      // An IdP's Test connection is an authenticated SCIM request, which records the token's last use.
      done: stats.anyTokenUsed,
      detail: stats.lastRequestAt ? `Last SCIM request at ${stats.lastRequestAt}` : 'No SCIM request with a workspace token yet',
    },
    {
      step: 'pilotUsers',
      done: stats.scimUsers >= 1,
      detail: stats.scimUsers >= 1 ? `${users} provisioned` : 'No user provisioned over SCIM yet',
    },
    {
      step: 'scopeOpened',
      done: stats.scimUsers > PILOT_MAX_USERS || stats.scimGroups > PILOT_GROUPS,
      detail: `${users} and ${groups} provisioned (pilot: one group of at most ${PILOT_MAX_USERS} users)`,
    },
  ];
}
