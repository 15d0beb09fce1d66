import { deciderSpecification } from '../testing/decider-specification';
import { DEFAULT_SCIM_SETTINGS, type ScimSettingsChanged, scimSettingsOf, unknownAttributePolicyOf, scimSettingsDecider } from './scim-settings';

const spec = deciderSpecification(scimSettingsDecider);
const changed = (autoMergeLocalAccounts: boolean, rejectUnknownAttributes: boolean): ScimSettingsChanged => ({
  type: 'TENANT_SCIM_SETTINGS_CHANGED',
  data: { autoMergeLocalAccounts, rejectUnknownAttributes },
});

describe('SCIM settings of a workspace', () => {
  it('default to auto-merge on and unknown attributes ignored', () => {
    expect(scimSettingsOf([])).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: false });
    expect(unknownAttributePolicyOf(DEFAULT_SCIM_SETTINGS)).toBe('ignore');
    expect(unknownAttributePolicyOf({ ...DEFAULT_SCIM_SETTINGS, rejectUnknownAttributes: true })).toBe('reject');
  });

  it('change only the settings named; the event carries the whole settings', () => {
    spec.given([]).when({ type: 'ChangeScimSettings', changes: { rejectUnknownAttributes: true } }).then([changed(true, true)]);
    spec.given([changed(false, false)]).when({ type: 'ChangeScimSettings', changes: { rejectUnknownAttributes: true } }).then([changed(false, true)]);
    spec.given([changed(true, true)]).when({ type: 'ChangeScimSettings', changes: { autoMergeLocalAccounts: false } }).then([changed(false, true)]);
  });

  it('record nothing for a change that changes nothing', () => {
    spec.given([]).when({ type: 'ChangeScimSettings', changes: {} }).thenNothingHappens();
    spec.given([changed(false, true)]).when({ type: 'ChangeScimSettings', changes: { autoMergeLocalAccounts: false, rejectUnknownAttributes: true } }).thenNothingHappens();
  });

  it('read an event written before a setting existed with that setting at its default', () => {
    const before = { type: 'TENANT_SCIM_SETTINGS_CHANGED', data: { autoMergeLocalAccounts: false } };
    expect(scimSettingsOf([before])).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: false });
    expect(scimSettingsOf([changed(false, true), { type: 'SOMETHING_ELSE', data: {} }])).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: true });
  });
});
