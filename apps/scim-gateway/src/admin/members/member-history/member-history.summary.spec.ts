import { summaryOf } from './member-history.summary';

describe('member history summaries', () => {
  it('names the IdP from the dialect of a SCIM token write', () => {
    // given a deactivation pushed by Entra ID with a token
    const facts = { type: 'ACCOUNT_SCIM_USER_DEACTIVATED', data: {}, actor: 'token:scim_ab12', actorName: 'Entra prod', dialect: 'entra-2020' };
    // when it is summarised / then
    expect(summaryOf(facts)).toBe('Deactivated by the IdP (Entra ID)');
  });

  it('falls back to the token description when the dialect names no IdP', () => {
    expect(summaryOf({ type: 'ACCOUNT_SCIM_USER_CREATED', data: {}, actor: 'token:scim_ab12', actorName: 'Okta staging', dialect: 'rfc' })).toBe(
      'Provisioned by the IdP (Okta staging)',
    );
    expect(summaryOf({ type: 'ACCOUNT_SCIM_USER_CREATED', data: {}, actor: 'token:config', actorName: null, dialect: 'rfc' })).toBe('Provisioned by the IdP');
  });

  it('names the admin by the key description, else by the key prefix', () => {
    expect(summaryOf({ type: 'ACCOUNT_LOCAL_MEMBER_CREATED', data: {}, actor: 'admin:adm_x1', actorName: 'Jane Doe', dialect: 'admin' })).toBe(
      'Local account created by admin Jane Doe',
    );
    expect(summaryOf({ type: 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED', data: {}, actor: 'admin:adm_x1', actorName: null, dialect: 'admin' })).toBe(
      "Merge with the IdP's user approved by admin adm_x1",
    );
  });

  it('lists the changed attributes of an update', () => {
    const facts = { type: 'ACCOUNT_SCIM_USER_UPDATED', data: { changedAttributes: ['name.givenName', 'emails'] }, actor: 'token:scim_ab', actorName: null, dialect: 'okta' };
    expect(summaryOf(facts)).toBe('name.givenName, emails changed by the IdP (Okta)');
  });

  it('tells an automatic merge from an approved one', () => {
    const base = { type: 'ACCOUNT_SCIM_USER_MERGED', actor: 'token:scim_ab', actorName: null, dialect: 'okta' };
    expect(summaryOf({ ...base, data: { mergedBy: 'auto' } })).toBe("Linked to the IdP's user with the same email by the IdP (Okta)");
    expect(summaryOf({ ...base, data: { mergedBy: 'admin' } })).toBe("Linked to the IdP's user after an admin's approval, by the IdP (Okta)");
  });
});
