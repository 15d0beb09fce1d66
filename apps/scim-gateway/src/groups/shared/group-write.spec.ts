import { groupStreamName, type GroupState, groupDecider } from '@axis/domain';
import { createEventStore, type EventStore } from '@axis/event-store';
import { createDefaultSchemaRegistry, isScimError, normalizePatchRequest } from '@axis/scim';
import type { WriteContext } from '@axis/write';
import type { DataSource } from 'typeorm';

import { GroupDeciderRunner } from './group-decider-runner';
import { GroupReadYourWrites } from '../../consistency/group-read-your-writes';
import { wantsMembers } from './group-resource';
import { StreamStateCache } from './stream-state-cache';

const schema = createDefaultSchemaRegistry().forResourceType('Group');
const context: WriteContext = { workspaceId: 'acme', actor: 'token:t', requestId: 'r1', dialect: 'okta' };
const stream = groupStreamName('acme', 'g1');
const addMembers = (...ids: string[]) => ({
  type: 'PatchGroup' as const,
  groupId: 'g1',
  schema,
  operations: normalizePatchRequest({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }] }),
});
const membersOf = (state: GroupState) => (state.status === 'existing' ? [...state.members].sort() : []);

describe('GroupDeciderRunner', () => {
  let store: EventStore;
  let runner: GroupDeciderRunner;

  beforeEach(async () => {
    store = await createEventStore({ url: ':memory:' });
    runner = new GroupDeciderRunner(store, new GroupReadYourWrites({ options: { type: 'better-sqlite3' } } as DataSource), new StreamStateCache());
    await runner.run(groupDecider, stream, { type: 'CreateGroup', groupId: 'g1', displayName: 'G', externalId: null, memberIds: [] }, context);
  });
  afterEach(() => store.close());

  it('reads only the events after its cached state, including other processes’ appends', async () => {
    await runner.run(groupDecider, stream, addMembers('a'), context);
    // Another gateway process appends meanwhile.
    const other = new GroupDeciderRunner(store, new GroupReadYourWrites({ options: { type: 'better-sqlite3' } } as DataSource), new StreamStateCache());
    await other.run(groupDecider, stream, addMembers('b'), context);
    const reads: Array<number | undefined> = [];
    const readStream = store.readStream.bind(store);
    store.readStream = (name, options) => {
      reads.push(options?.fromRevision);
      return readStream(name, options);
    };
    const loaded = await runner.load(groupDecider, stream);
    expect(reads).toEqual([2]);
    expect(loaded.revision).toBe(2);
    expect(membersOf(loaded.state)).toEqual(['a', 'b']);
  });

  it('loses no member to concurrent PATCHes, and answers 412 for a stale If-Match', async () => {
    const others = Array.from({ length: 5 }, () => new GroupDeciderRunner(store, new GroupReadYourWrites({ options: { type: 'better-sqlite3' } } as DataSource), new StreamStateCache()));
    await Promise.all(Array.from({ length: 20 }, (_, index) => others[index % 5]!.run(groupDecider, stream, addMembers(`m${index}`), context)));
    const loaded = await runner.load(groupDecider, stream);
    expect(membersOf(loaded.state)).toHaveLength(20);
    expect(loaded.revision).toBe(20);
    const stale = await runner.run(groupDecider, stream, addMembers('late'), context, { ifMatchRevision: 3 }).catch((error: unknown) => error);
    expect(isScimError(stale) && stale.status).toBe(412);
  });
});

describe('wantsMembers', () => {
  it.each([
    [{}, true],
    [{ excludedAttributes: 'members' }, false],
    [{ excludedAttributes: 'displayName,MEMBERS' }, false],
    [{ excludedAttributes: 'displayName' }, true],
    [{ attributes: 'displayName' }, false],
    [{ attributes: 'displayName,members.value' }, true],
    [{ attributes: ['urn:ietf:params:scim:schemas:core:2.0:Group:members'] }, true],
  ])('%j → %s', (projection, expected) => {
    expect(wantsMembers(projection)).toBe(expected);
  });
});

describe('StreamStateCache', () => {
  it('evicts the least recently used entries beyond its weight and never goes back in revision', () => {
    const cache = new StreamStateCache();
    cache.maxWeight = 10;
    const decider = {};
    const entry = (revision: number, weight: number) => ({ decider, state: revision, revision, createdAt: null, lastModified: null, weight });
    cache.set('a', entry(1, 4));
    cache.set('b', entry(1, 4));
    expect(cache.get('a', decider)?.revision).toBe(1);
    cache.set('c', entry(1, 4));
    expect(cache.get('b', decider)).toBeUndefined();
    expect(cache.get('a', decider)).toBeDefined();
    cache.set('a', entry(0, 1));
    expect(cache.get('a', decider)?.revision).toBe(1);
    expect(cache.get('a', {})).toBeUndefined();
  });
});
