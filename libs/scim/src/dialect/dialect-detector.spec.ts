import * as idp from '../testing/fixtures/idp-requests';
import { classifyDialect, detectDialect } from './dialect-detector';

describe('dialect detection', () => {
  it.each([
    [{ userAgent: idp.USER_AGENTS.okta, body: idp.OKTA_DEACTIVATE_USER }, 'okta'],
    [{ userAgent: idp.USER_AGENTS.okta }, 'okta'],
    [{ userAgent: idp.USER_AGENTS.entra, body: idp.ENTRA_LEGACY_UPDATE_USER }, 'entra-legacy'],
    [{ userAgent: idp.USER_AGENTS.entra, body: idp.ENTRA_LEGACY_REMOVE_MEMBERS }, 'entra-legacy'],
    [{ userAgent: idp.USER_AGENTS.entra, body: idp.ENTRA_2020_PATHLESS_REPLACE }, 'entra-2020'],
    [{ userAgent: idp.USER_AGENTS.entra }, 'entra-legacy'],
    [{ userAgent: idp.USER_AGENTS.entra, url: '/scim/v2/Users?aadOptscim062020' }, 'entra-2020'],
    [{ url: '/scim/v2/Users/1?aadOptSCIM062020=true', body: idp.ENTRA_2020_DISABLE_USER }, 'entra-2020'],
    [{ userAgent: idp.USER_AGENTS.ping, filter: idp.PING_FILTER_WORK_EMAIL }, 'ping'],
    [{ filter: idp.PING_FILTER_WORK_EMAIL }, 'ping'],
    [{ userAgent: idp.USER_AGENTS.onelogin, body: idp.ONELOGIN_CREATE_USER }, 'onelogin'],
    [{ body: idp.ONELOGIN_CONNECTOR_USER }, 'onelogin'],
    [{ userAgent: '', body: idp.ONELOGIN_CREATE_USER }, 'rfc'],
    [{ userAgent: idp.USER_AGENTS.jumpcloud, body: idp.JUMPCLOUD_REMOVE_MEMBERS }, 'jumpcloud'],
    [{ body: idp.ENTRA_LEGACY_DISABLE_USER }, 'entra-legacy'],
    [{ body: idp.ENTRA_2020_PATHLESS_REPLACE }, 'entra-2020'],
    [{ userAgent: 'curl/8.0', body: idp.OKTA_GROUP_MEMBERSHIP }, 'rfc'],
    [{}, 'rfc'],
  ])('%j → %s', (probe, dialect) => {
    expect(classifyDialect(probe)).toBe(dialect);
  });

  it('explains its decision', () => {
    expect(detectDialect({ userAgent: idp.USER_AGENTS.entra, body: idp.ENTRA_LEGACY_DISABLE_USER }).signals).toEqual(['user-agent:entra', 'body:legacy-patch']);
  });
});
