import { createEventStore, encodeSqlitePosition, type EventStore } from '@axis/event-store';
import { openReadModel } from '@axis/read-model';
import { parseListQuery, type ResourceSchema } from '@axis/scim';
import type { WriteContext } from '@axis/write';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from '../../consistency/read-your-writes';
import { WorkspaceSchemas } from '../../custom-attributes/workspace-schemas';

import { UserKeyReservations } from '../shared/user-key-reservations';
import { uniqueValueLookup, WriteSideLookup } from './write-side-lookup';

const WORKSPACE = 'ws-1';
const context: WriteContext = { workspaceId: WORKSPACE, actor: 'token:test', requestId: 'r-1', dialect: 'rfc' };
const lookupOf = (filter: string) => parseListQuery({ filter });

describe('WriteSideLookup', () => {
  let store: EventStore;
  let readModel: DataSource;
  let readYourWrites: ReadYourWrites;
  let reservations: UserKeyReservations;
  let lookup: WriteSideLookup;
  let schema: ResourceSchema;

  beforeEach(async () => {
    store = await createEventStore(':memory:');
    readModel = await openReadModel({ url: ':memory:' });
    readYourWrites = new ReadYourWrites(readModel);
    reservations = new UserKeyReservations(store);
    lookup = new WriteSideLookup(readYourWrites, reservations);
    schema = (await new WorkspaceSchemas(store).forWorkspace(WORKSPACE)).reads;
    await reservations.reserve('user-a', { userName: 'alice@example.com', externalId: 'EXT-A' }, context);
    // A write the members projection has not passed: a read now would wait for it.
    readYourWrites.recordWrite(WORKSPACE, encodeSqlitePosition(1));
  });

  afterEach(async () => {
    await store.close();
    await readModel.destroy();
  });

  it('finds nobody for a userName or externalId nobody holds, while the projection may lag', async () => {
    expect(await lookup.findsNobody(WORKSPACE, lookupOf('userName eq "bob@example.com"'), schema)).toBe(true);
    expect(await lookup.findsNobody(WORKSPACE, lookupOf('externalId eq "EXT-B"'), schema)).toBe(true);
    // externalId is caseExact: another case is another value.
    expect(await lookup.findsNobody(WORKSPACE, lookupOf('externalId eq "ext-a"'), schema)).toBe(true);
  });

  it('leaves a held value to the read model, userName in any case', async () => {
    expect(await lookup.findsNobody(WORKSPACE, lookupOf('userName eq "Alice@Example.com"'), schema)).toBe(false);
    expect(await lookup.findsNobody(WORKSPACE, lookupOf('externalId eq "EXT-A"'), schema)).toBe(false);
  });

  it('finds nobody for a value its holder released', async () => {
    await reservations.release('user-a', { userName: 'alice@example.com' }, context);
    expect(await lookup.findsNobody(WORKSPACE, lookupOf('userName eq "alice@example.com"'), schema)).toBe(true);
  });

  it('leaves every read to the read model once nothing is awaited', async () => {
    const quiet = new WriteSideLookup(new ReadYourWrites(readModel), reservations);
    expect(await quiet.findsNobody(WORKSPACE, lookupOf('userName eq "bob@example.com"'), schema)).toBe(false);
  });

  it('answers only a lone eq on userName or externalId', () => {
    expect(uniqueValueLookup('userName eq "Bob"', schema)).toEqual({ kind: 'userName', value: 'bob' });
    expect(uniqueValueLookup('externalId eq "Bob"', schema)).toEqual({ kind: 'externalId', value: 'Bob' });
    for (const filter of [
      'userName eq "bob" and active eq true',
      'userName sw "bob"',
      'not (userName eq "bob")',
      'emails.value eq "bob@example.com"',
      'displayName eq "bob"',
      'userName eq ""',
    ]) {
      expect(uniqueValueLookup(filter, schema)).toBeNull();
    }
    expect(uniqueValueLookup(undefined, schema)).toBeNull();
  });
});
