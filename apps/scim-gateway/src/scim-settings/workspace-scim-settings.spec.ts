import { createEventStore, type EventStore } from '@axis/event-store';
import type { WriteContext } from '@axis/write';
import { SCIM_SETTINGS_REFRESH_MS, WorkspaceScimSettings } from './workspace-scim-settings';

const context: WriteContext = { workspaceId: 'ws-1', actor: 'admin:adm_test', requestId: 'r-1', dialect: 'admin' };

describe('WorkspaceScimSettings', () => {
  let store: EventStore;

  beforeEach(async () => {
    store = await createEventStore(':memory:');
  });
  afterEach(async () => {
    jest.useRealTimers();
    await store.close();
  });

  it('changes only the settings named, as one event carrying them all, with the admin; no change, no event', async () => {
    const settings = new WorkspaceScimSettings(store);
    expect(await settings.current('ws-1')).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: false });
    expect(await settings.change({ rejectUnknownAttributes: true }, context)).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: true });
    expect(await settings.change({ autoMergeLocalAccounts: false }, context)).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: true });
    expect(await settings.change({ autoMergeLocalAccounts: false }, context)).toEqual({ autoMergeLocalAccounts: false, rejectUnknownAttributes: true });
    const events = await store.readStream('workspace-ws-1.scim-settings');
    expect(events.map((event) => [event.type, event.data, event.metadata['actor'], event.metadata['requestId']])).toEqual([
      ['TENANT_SCIM_SETTINGS_CHANGED', { autoMergeLocalAccounts: true, rejectUnknownAttributes: true }, 'admin:adm_test', 'r-1'],
      ['TENANT_SCIM_SETTINGS_CHANGED', { autoMergeLocalAccounts: false, rejectUnknownAttributes: true }, 'admin:adm_test', 'r-1'],
    ]);
  });

  it('applies a change through this process from the next request, and one through another process within the refresh bound', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const here = new WorkspaceScimSettings(store);
    const elsewhere = new WorkspaceScimSettings(store);
    expect(await here.unknownAttributePolicy('ws-1')).toBe('ignore');
    await here.change({ rejectUnknownAttributes: true }, context);
    expect(await here.unknownAttributePolicy('ws-1')).toBe('reject');

    expect(await elsewhere.unknownAttributePolicy('ws-1')).toBe('reject');
    await here.change({ rejectUnknownAttributes: false }, context);
    // The other process still trusts its copy, then reads the new event.
    expect(await elsewhere.unknownAttributePolicy('ws-1')).toBe('reject');
    jest.advanceTimersByTime(SCIM_SETTINGS_REFRESH_MS);
    expect(await elsewhere.unknownAttributePolicy('ws-1')).toBe('ignore');
    expect(await elsewhere.forWorkspace('ws-2')).toEqual({ autoMergeLocalAccounts: true, rejectUnknownAttributes: false });
  });
});
