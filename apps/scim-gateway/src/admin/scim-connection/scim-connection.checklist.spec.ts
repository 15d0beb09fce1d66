import type { ScimConnectionStats } from '@axis/read-model';
import { pilotChecklist } from './scim-connection.checklist';

const fresh: ScimConnectionStats = {
  lastRequestAt: null,
  lastDialect: null,
  rejectionsSince: 0,
  scimUsers: 0,
  scimGroups: 0,
  activeTokens: 0,
  tokensCreated: 0,
  anyTokenUsed: false,
};

const done = (stats: ScimConnectionStats) => Object.fromEntries(pilotChecklist(stats).map((step) => [step.step, step.done]));

describe('the SCIM pilot checklist', () => {
  it('has nothing done in a fresh workspace, in the documented order', () => {
    expect(pilotChecklist(fresh).map((step) => step.step)).toEqual(['token', 'testConnection', 'pilotUsers', 'scopeOpened']);
    expect(done(fresh)).toEqual({ token: false, testConnection: false, pilotUsers: false, scopeOpened: false });
  });

  it('ticks the token even when it was revoked since, and the test connection once a token was used', () => {
    expect(done({ ...fresh, tokensCreated: 1 })).toMatchObject({ token: true, testConnection: false });
    expect(done({ ...fresh, tokensCreated: 1, anyTokenUsed: true, lastRequestAt: '2026-01-01T00:00:00.000Z' })).toMatchObject({ testConnection: true });
  });

  it('counts a pilot of up to ten users in one group as not yet opened', () => {
    expect(done({ ...fresh, scimUsers: 10, scimGroups: 1 })).toMatchObject({ pilotUsers: true, scopeOpened: false });
    expect(done({ ...fresh, scimUsers: 11, scimGroups: 1 })).toMatchObject({ scopeOpened: true });
    expect(done({ ...fresh, scimUsers: 3, scimGroups: 2 })).toMatchObject({ scopeOpened: true });
  });
});
